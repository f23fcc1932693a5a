from leerkring.meetings import bp  # noqa: F401


def page_context(meeting, membership) -> dict:
    """What this part adds to the meeting page's template context."""
    return {}
