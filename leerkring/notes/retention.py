"""How long a case is kept (DESIGN.md section 8): deleted a retention period after its last
activity, the circle's period if it chose a shorter one than the platform's; the author may extend
once by one more period.

``expires_at`` is stored on the case, so the purge and the warning before it are plain indexed
filters. It moves with every activity (``touch``), an extension (``extend``) and a change of the
circle's period (``change_period``). The purge runs before every planning pass of the scheduler.

The warning (``retention_reminders``, kind ``case_expiring``) is keyed by the expiry moment, so a
moved expiry is a new warning and the old one is no longer wanted:

- ``extend`` and ``change_period`` replan it in their transaction: the pending warning is cancelled
  at once and the next one planned.
- ``touch`` does not: it runs on every edit and comment, often while the new comment is still being
  built (a replan would flush it half-made), and the case then expires a whole period later. A
  warning still pending for the old moment cannot go out: what it says is rendered only when it is
  sent, and a warning whose moment is no longer the case's says nothing (the row is cancelled);
  the scheduler's next pass cancels it anyway once it is within the planning horizon.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notes import erasure
from leerkring.notes.erasure import SUBJECT
from leerkring.notes.models import CaseNote
from leerkring.notifications import outbox
from leerkring.notifications.registry import register_housekeeping

log = logging.getLogger(__name__)

#: The reminder kind that warns a case's author (``retention_reminders``).
EXPIRY_KIND = "case_expiring"
def platform_months() -> int:
    return current_app.config["CASE_RETENTION_MONTHS"]


def notice_period() -> timedelta:
    """How long before its deletion a case's author is told."""
    return timedelta(days=current_app.config["CASE_EXPIRY_NOTICE_DAYS"])


def period_months(circle) -> int:
    platform = platform_months()
    return min(circle.case_retention_months or platform, platform)


def _expiry(last_activity_at: datetime, extended: bool, months: int) -> datetime:
    return last_activity_at + relativedelta(months=(2 if extended else 1) * months)


def expiry(case) -> datetime:
    return _expiry(case.last_activity_at, case.extended_at is not None, period_months(case.circle))


def touch(case, now: datetime | None = None) -> None:
    """Something happened on the case (an edit, sharing, closing, a comment): retention counts
    from now."""
    case.last_activity_at = now or utcnow()
    case.expires_at = expiry(case)


def extend(case, now: datetime | None = None) -> None:
    """The author keeps the case one more period (once: ``can_extend_case``). The warning still
    pending for the old moment is cancelled and the next one planned."""
    now = now or utcnow()
    case.extended_at = now
    case.expires_at = expiry(case)
    if case.id is not None:
        outbox.replan(SUBJECT, case.id, now, kinds=[EXPIRY_KIND])


# A circle's period -----------------------------------------------------------------------------


def change_period(circle, months: int | None, now: datetime | None = None) -> list[int]:
    """Set the circle's retention period (None: the platform's) and move the expiry of its
    cases; returns the ids of the cases whose expiry moved. Does not commit.

    A shorter period applies to the cases already there, but never brings a deletion closer
    than the notice period from now (unless it was closer already): every author is told before
    their case goes, as promised."""
    now = now or utcnow()
    before = period_months(circle)
    circle.case_retention_months = months
    after = period_months(circle)
    if after == before:
        return []
    told_in_time = now + notice_period()
    moved = []
    rows = db.session.execute(
        sa.select(CaseNote.id, CaseNote.last_activity_at, CaseNote.extended_at, CaseNote.expires_at)
        .where(CaseNote.circle_id == circle.id)
    )
    for case_id, last_activity_at, extended_at, expires_at in rows:
        new = _expiry(last_activity_at, extended_at is not None, after)
        if new < told_in_time:
            new = max(new, min(expires_at, told_in_time))
        if new != expires_at:
            moved.append({"id": case_id, "expires_at": new})
    if moved:
        # One UPDATE by primary key for all of them (executemany), not one per loaded object.
        db.session.execute(sa.update(CaseNote), moved)
        outbox.replan(SUBJECT, [row["id"] for row in moved], now, kinds=[EXPIRY_KIND])
    return [row["id"] for row in moved]


def save_circle_settings(circle, *, months: int | None, erasure, now: datetime | None = None):
    """A coordinator's case settings for the circle: its period and what a member's account
    deletion does to their cases and comments (recorded in the audit log, without content).
    Returns the ids of the cases whose expiry moved. Does not commit."""
    from leerkring.accounts.services import audit

    moved = change_period(circle, months, now)
    circle.case_erasure = erasure
    audit(
        "case_settings_changed",
        detail=f"circle {circle.id}: {months or 'platform'} months, {erasure.value}, "
        f"{len(moved)} cases moved",
    )
    return moved


# The purge -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Purged:
    """What one purge deleted: case ids and counts, never content."""

    case_ids: list[int] = field(default_factory=list)
    comments: int = 0
    confirmations: int = 0


@register_housekeeping
def purge(now: datetime | None = None) -> Purged:
    """Delete every case whose time is up, as ``erasure.delete_cases`` does. Idempotent; does not
    commit (the scheduler's pass does)."""
    now = now or utcnow()
    case_ids = list(
        db.session.execute(
            sa.select(CaseNote.id)
            .where(CaseNote.expires_at <= now)
            .order_by(CaseNote.id)
            .with_for_update()
        ).scalars()
    )
    if not case_ids:
        return Purged()
    deleted = erasure.delete_cases(case_ids)
    log.info(
        "Purged %d expired cases (ids %s) with %d comments and %d privacy confirmations",
        len(case_ids), ",".join(map(str, case_ids)), deleted.comments, deleted.confirmations,
    )
    return Purged(case_ids, deleted.comments, deleted.confirmations)
