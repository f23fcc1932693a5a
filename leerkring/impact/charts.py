"""Bar charts drawn on the server as SVG, one bar per Werkplaats or theme: its name above the bar,
its number after it. A number that may not be shown (fewer than five people) gets no bar, only
its "<5". The charts are pictures (role="img"); the table beside each gives the same numbers."""

from dataclasses import dataclass

#: The drawing's width in its own units; it scales to the screen.
WIDTH = 360
#: Each bar's share of the height: its name, then the bar.
ROW_HEIGHT = 42
LABEL_BASELINE = 15
BAR_TOP = 21
BAR_HEIGHT = 14
#: Room to the right of the longest bar for its number.
NUMBER_ROOM = 60
NUMBER_GAP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    #: The number as shown ("12", "4,5", "<5").
    text: str
    #: 0 for nothing to draw: zero, or a number that may not be shown.
    width: float
    top: float
    #: The Werkplaats' or theme's slug, to find the bar again.
    slug: str = ""

    @property
    def label_y(self) -> float:
        return self.top + LABEL_BASELINE

    @property
    def bar_y(self) -> float:
        return self.top + BAR_TOP

    @property
    def text_x(self) -> float:
        return self.width + NUMBER_GAP if self.width else 0

    @property
    def text_y(self) -> float:
        return self.bar_y + BAR_HEIGHT - 2


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT + 4


def bar_chart(id: str, title: str, description: str, values) -> Chart:
    """``values``: (label, slug, number to draw or None when it may not be drawn, text)."""
    largest = max((number for _label, _slug, number, _text in values if number), default=0)
    room = WIDTH - NUMBER_ROOM
    bars = tuple(
        Bar(
            label=label,
            slug=slug,
            text=text,
            width=round(room * number / largest, 1) if number and largest else 0,
            top=n * ROW_HEIGHT,
        )
        for n, (label, slug, number, text) in enumerate(values)
    )
    return Chart(id=id, title=title, description=description, bars=bars)
