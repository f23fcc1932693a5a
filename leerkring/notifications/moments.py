"""Moments as reminders name and say them, shared by the areas' kinds."""

from datetime import UTC, datetime

from flask_babel import format_date, format_time


def instant_key(moment: datetime) -> str:
    """Names one event (a change, a promotion) by its instant, so each is its own reminder."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def when(instant: datetime) -> str:
    """A moment as the reader reads it, e.g. "dinsdag 27 oktober 2026, 19:30"."""
    return f"{format_date(instant, 'full')}, {format_time(instant, 'short')}"
