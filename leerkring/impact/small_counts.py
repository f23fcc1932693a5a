"""The one rule for counts of people: fewer than five is shown as "<5", on the page, in the
CSV and in the charts, so no one can be picked out of a small group."""

#: The smallest count of people shown as a number.
SMALLEST_SHOWN = 5
#: What is shown instead of a smaller count.
FEW = "<5"


def is_suppressed(count: int) -> bool:
    """One to four people. Nobody (0) is shown as 0: it singles no one out."""
    return 0 < count < SMALLEST_SHOWN


def people(count: int) -> int | str:
    """A count of people as it may be shown: the count, or "<5"."""
    return FEW if is_suppressed(count) else count
