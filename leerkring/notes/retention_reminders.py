"""The warning before a case is deleted (kind ``case_expiring``, subject type "case"): to the
case's author, ``CASE_EXPIRY_NOTICE_DAYS`` (30) days before its expiry, making sense until the
expiry itself. A period shorter than twice the notice (a circle's one month) is told half a period
before, so a case is not announced for deletion the day after it was written.

The occurrence key is the expiry moment: after an extension, new activity or a changed period the
case has a new moment, so a new warning is planned and the old one is no longer wanted
(``retention`` says who replans when). The mail and the notice carry the case's title, the date it
will be deleted and whether it can still be extended; never its question, situation or comments.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from leerkring.extensions import db
from leerkring.notes import erasure, retention
from leerkring.notes.models import CaseNote
from leerkring.notifications.registry import Due, Kind, Rendered, Scope, register_kind


def occurrence_key(expires_at: datetime) -> str:
    return expires_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def notice_lead(last_activity_at: datetime, expires_at: datetime) -> timedelta:
    """How long before ``expires_at`` the author is told."""
    return min(retention.notice_period(), (expires_at - last_activity_at) / 2)


def expiring_due(scope: Scope) -> list[Due]:
    """One query: cases with an author whose warning is due (or, for given ids, still to come)."""
    statement = sa.select(
        CaseNote.id, CaseNote.author_id, CaseNote.circle_id, CaseNote.last_activity_at,
        CaseNote.expires_at,
    ).where(CaseNote.author_id.is_not(None), CaseNote.expires_at > scope.now)
    if scope.subject_ids is not None:
        statement = statement.where(CaseNote.id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(CaseNote.expires_at <= scope.until + retention.notice_period())
    return [
        Due(
            user_id=author_id,
            subject_id=case_id,
            due_at=expires_at - notice_lead(last_activity_at, expires_at),
            expires_at=expires_at,
            occurrence_key=occurrence_key(expires_at),
            circle_id=circle_id,
        )
        for case_id, author_id, circle_id, last_activity_at, expires_at in db.session.execute(
            statement
        )
    ]


def expiring_render(delivery) -> Rendered | None:
    """Nothing to say when the case is gone, has another author now, or no longer expires at the
    moment this warning was planned for (extended, active again, another period)."""
    case = db.session.get(CaseNote, delivery.subject_id)
    if (
        case is None
        or case.author_id != delivery.user_id
        or occurrence_key(case.expires_at) != delivery.occurrence_key
    ):
        return None
    date = format_date(case.expires_at, "long")
    return Rendered(
        subject=_("Your case “%(title)s” will be deleted on %(date)s", title=case.title, date=date),
        template="notes/reminders/case_expiring",
        url=erasure.case_path(case.id),
        params={"title": case.title, "date": date},
        context={"title": case.title, "date": date, "can_extend": case.extended_at is None},
    )


CASE_EXPIRING = register_kind(
    Kind(
        name=retention.EXPIRY_KIND,
        subject_type=erasure.SUBJECT,
        label=_l("A case of yours will soon be deleted"),
        notice=_l("Your case “%(title)s” will be deleted on %(date)s."),
        due=expiring_due,
        render=expiring_render,
    )
)
