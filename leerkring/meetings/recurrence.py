"""Recurring meetings: an RRULE over local wall-clock time (DESIGN.md section 6).

A series says "every other Tuesday at 19:30" in its own zone. Each occurrence keeps that wall-clock
time across daylight-saving changes; a time that does not exist locally (the hour skipped on the
last Sunday of March) is left out and reported; an ambiguous one (the hour repeated on the last
Sunday of October) is the first of the two.
"""

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

#: Materialise occurrences this far ahead; later ones are made as time passes.
HORIZON = timedelta(days=366)
#: Never make more than this many meetings from one series.
MAX_OCCURRENCES = 260


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class Pattern:
    """What a coordinator chooses in the form."""

    frequency: Frequency
    #: Every N weeks (weekly) or every N months (monthly).
    interval: int
    #: 0 = Monday … 6 = Sunday.
    weekday: int
    #: Monthly only: 1–4 for the n-th weekday of the month, -1 for the last.
    nth: int | None = None
    until: date | None = None
    count: int | None = None

    def to_rrule(self) -> str:
        """The RFC 5545 RRULE value, e.g. ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``."""
        day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[self.weekday]
        parts = [f"FREQ={self.frequency.upper()}", f"INTERVAL={self.interval}"]
        monthly = self.frequency == Frequency.MONTHLY
        parts.append(f"BYDAY={self.nth}{day}" if monthly else f"BYDAY={day}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        elif self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


@dataclass(frozen=True)
class Occurrence:
    #: The wall-clock start in the series' zone; also the occurrence key.
    local_start: datetime
    #: The instant (UTC), or None when the local time does not exist that day.
    starts_at: datetime | None

    @property
    def exists(self) -> bool:
        return self.starts_at is not None

    @property
    def key(self) -> str:
        return occurrence_key(self.local_start)


def occurrence_key(local_start: datetime) -> str:
    """Names an occurrence by its original local start; stable across moves and DST."""
    return local_start.strftime("%Y-%m-%dT%H:%M")


def to_utc(local: datetime, zone: str) -> datetime | None:
    """The instant of a naive wall-clock time in ``zone``; None if that time does not exist."""
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local:
        return None
    return instant


def local_day_at(instant: datetime, zone: str, days: int, clock: time) -> datetime:
    """``days`` days after (negative: before) the local date of ``instant`` in ``zone``, at
    ``clock`` there, as a UTC instant. Counted on the local date, so it stays that wall-clock
    time when the clocks change in between; a time the clocks skip that day comes out an hour
    later. Reminders use it ("two days before at 09:00", "the day after at 09:00")."""
    tz = ZoneInfo(zone)
    day = instant.astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def to_local(instant: datetime, zone: str) -> datetime:
    """The naive wall-clock time of a UTC instant in ``zone``."""
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def occurrences(
    rule: str,
    first_day: date,
    start_time: time,
    zone: str,
    *,
    until: datetime | None = None,
) -> list[Occurrence]:
    """The occurrences of ``rule`` from ``first_day`` at ``start_time`` (local) up to ``until``
    (a local datetime; default: one horizon after the first day)."""
    dtstart = datetime.combine(first_day, start_time)
    limit = until or dtstart + HORIZON
    result = []
    for local_start in rrule.rrulestr(rule, dtstart=dtstart):
        if local_start > limit or len(result) >= MAX_OCCURRENCES:
            break
        result.append(Occurrence(local_start, to_utc(local_start, zone)))
    return result
