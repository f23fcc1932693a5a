"""How long a case is kept (DESIGN.md section 8): deleted a retention period after its last
activity, the circle's period if it chose a shorter one than the platform's; the author may extend
once by one more period."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from flask import current_app

from leerkring.db import utcnow


def period_months(circle) -> int:
    platform = current_app.config["CASE_RETENTION_MONTHS"]
    return min(circle.case_retention_months or platform, platform)


def expiry(case) -> datetime:
    periods = 2 if case.extended_at is not None else 1
    return case.last_activity_at + relativedelta(months=periods * period_months(case.circle))


def touch(case, now: datetime | None = None) -> None:
    """Something happened on the case (an edit, sharing, closing, a comment): retention counts
    from now."""
    case.last_activity_at = now or utcnow()
    case.expires_at = expiry(case)


def extend(case, now: datetime | None = None) -> None:
    """The author keeps the case one more period (once: ``can_extend_case``)."""
    case.extended_at = now or utcnow()
    case.expires_at = expiry(case)
