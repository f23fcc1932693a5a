"""Deleting cases and comments without leaving traces: the privacy confirmations about them, the
in-app notices that lead to a deleted case and its reminders still to go. One place for the
author's delete, the retention purge and the deletion of an account."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for

from leerkring.extensions import db
from leerkring.notes.models import CaseComment, CaseNote, PrivacyConfirmation
from leerkring.notifications.models import Delivery, DeliveryStatus, Notification

#: The subject type of reminders about a case.
SUBJECT = "case"
#: The page a case's reminders and notices lead to.
CASE_PAGE = "notes.case"


def case_path(case_id: int) -> str:
    return url_for(CASE_PAGE, case_id=case_id)


@dataclass(frozen=True)
class Deleted:
    """What was deleted with the cases: counts, never content."""

    comments: int = 0
    confirmations: int = 0


def delete_cases(case_ids: list[int]) -> Deleted:
    """Delete the cases with their comments (the database cascades), the privacy confirmations
    of both, the notices leading to them, and cancel their pending reminders. Reflections about
    them stay (their ``case_id`` becomes NULL). A fixed number of statements; no commit."""
    if not case_ids:
        return Deleted()
    comments = sa.select(CaseComment.id).where(CaseComment.case_id.in_(case_ids))
    comment_count = db.session.execute(
        sa.select(sa.func.count()).select_from(comments.subquery())
    ).scalar_one()
    confirmations = _execute(
        sa.delete(PrivacyConfirmation).where(
            sa.or_(
                _about("case", case_ids),
                _about("comment", comments),
            )
        )
    )
    _execute(sa.delete(Notification).where(Notification.url.in_(map(case_path, case_ids))))
    _execute(
        sa.update(Delivery)
        .where(
            Delivery.subject_type == SUBJECT,
            Delivery.subject_id.in_(case_ids),
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED)
    )
    _execute(sa.delete(CaseNote).where(CaseNote.id.in_(case_ids)))
    db.session.expire_all()
    return Deleted(comment_count, confirmations)


def forget_confirmations(subject_type: str, ids) -> int:
    """Delete the privacy confirmations about these subjects; how many went."""
    return _execute(sa.delete(PrivacyConfirmation).where(_about(subject_type, ids)))


def _about(subject_type: str, ids):
    return sa.and_(
        PrivacyConfirmation.subject_type == subject_type, PrivacyConfirmation.subject_id.in_(ids)
    )


def _execute(statement) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount
