"""The notes' part of a user's data rights (see ``leerkring.accounts.data_rights``): cases,
comments, reflections and the privacy confirmations given while writing them.

Deleting an account:

- cases and comments follow their circle's ``case_erasure``: *anonymise* keeps them for the
  circle without the author (the foreign key sets ``author_id`` NULL when the user row goes);
  *delete* deletes a case with every comment on it, and deletes a comment; replies of others to
  a deleted comment stay, as comments of their own;
- drafts are always deleted: nobody else has seen them, so nobody would miss them;
- reflections are deleted with the user row (foreign key), also those shared with a circle;
- privacy confirmations go with the user row; those of others about a deleted case or comment
  are deleted with it, as they confirm something that no longer exists; so are the notices that
  lead to a deleted case, and its reminders still to go are cancelled, as the retention purge does.
"""

from collections import Counter

import sqlalchemy as sa
from flask_babel import ngettext
from sqlalchemy.orm import aliased

from leerkring.accounts.data_rights import register_part
from leerkring.circles.models import CaseErasure, Circle
from leerkring.extensions import db
from leerkring.meetings.models import Meeting
from leerkring.notes import erasure
from leerkring.notes.models import (
    CaseComment,
    CaseNote,
    CaseStatus,
    PrivacyConfirmation,
    Reflection,
)

CASE_FIELDS = ("id", "status", "method", "title", "question", "situation", "tried", "takeaway",
               "lesson", "created_at", "updated_at", "shared_at", "closed_at", "last_activity_at",
               "expires_at", "extended_at")


# Cases -------------------------------------------------------------------------------------------


def export_cases(user) -> list[dict]:
    cases = db.session.execute(
        sa.select(CaseNote, Circle.name, Meeting.title)
        .join(Circle, Circle.id == CaseNote.circle_id)
        .outerjoin(Meeting, Meeting.id == CaseNote.meeting_id)
        .where(CaseNote.author_id == user.id)
        .order_by(CaseNote.created_at, CaseNote.id)
    )
    return [
        {
            **{field: getattr(case, field) for field in CASE_FIELDS},
            "circle": circle,
            "meeting": meeting,
        }
        for case, circle, meeting in cases
    ]


def _cases_by_circle(user):
    """(circle name, erasure, status, count) for the user's cases, one row per group."""
    return db.session.execute(
        sa.select(Circle.id, Circle.name, Circle.case_erasure, CaseNote.status, sa.func.count())
        .join(Circle, Circle.id == CaseNote.circle_id)
        .where(CaseNote.author_id == user.id)
        .group_by(Circle.id, Circle.name, Circle.case_erasure, CaseNote.status)
        .order_by(Circle.name, Circle.id)
    ).all()


def describe_cases(user) -> list[str]:
    drafts = 0
    kept = Counter()
    for circle_id, name, policy, status, count in _cases_by_circle(user):
        if status == CaseStatus.DRAFT:
            drafts += count
        else:
            kept[(circle_id, name, policy)] += count
    lines = []
    for (_id, circle, policy), count in kept.items():
        if policy == CaseErasure.DELETE:
            lines.append(ngettext(
                "Your case in “%(circle)s” is deleted, with the comments on it, as the circle "
                "chose.",
                "Your %(num)d cases in “%(circle)s” are deleted, with the comments on them, as "
                "the circle chose.",
                count, circle=circle,
            ))
        else:
            lines.append(ngettext(
                "Your case in “%(circle)s” is anonymised: it stays for the circle without your "
                "name, as the circle chose.",
                "Your %(num)d cases in “%(circle)s” are anonymised: they stay for the circle "
                "without your name, as the circle chose.",
                count, circle=circle,
            ))
    if drafts:
        lines.append(ngettext(
            "Your draft case is deleted: nobody else has seen it.",
            "Your %(num)d draft cases are deleted: nobody else has seen them.",
            drafts,
        ))
    return lines


def _doomed_cases(user) -> sa.Select:
    """The user's cases that go: drafts, and every case in a circle that deletes."""
    return (
        sa.select(CaseNote.id)
        .join(Circle, Circle.id == CaseNote.circle_id)
        .where(
            CaseNote.author_id == user.id,
            sa.or_(CaseNote.status == CaseStatus.DRAFT,
                   Circle.case_erasure == CaseErasure.DELETE),
        )
    )


# Comments ----------------------------------------------------------------------------------------


def export_comments(user) -> list[dict]:
    comments = db.session.execute(
        sa.select(CaseComment, CaseNote.title, Circle.name)
        .join(CaseNote, CaseNote.id == CaseComment.case_id)
        .join(Circle, Circle.id == CaseNote.circle_id)
        .where(CaseComment.author_id == user.id)
        .order_by(CaseComment.created_at, CaseComment.id)
    )
    return [
        {
            "id": comment.id,
            "case_id": comment.case_id,
            "case": case,
            "circle": circle,
            "reply_to": comment.parent_id,
            "body": comment.body,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
        }
        for comment, case, circle in comments
    ]


def describe_comments(user) -> list[str]:
    groups = db.session.execute(
        sa.select(Circle.name, Circle.case_erasure, sa.func.count())
        .select_from(CaseComment)
        .join(CaseNote, CaseNote.id == CaseComment.case_id)
        .join(Circle, Circle.id == CaseNote.circle_id)
        .where(CaseComment.author_id == user.id)
        .group_by(Circle.id, Circle.name, Circle.case_erasure)
        .order_by(Circle.name, Circle.id)
    )
    lines = []
    for circle, policy, count in groups:
        if policy == CaseErasure.DELETE:
            lines.append(ngettext(
                "Your comment in “%(circle)s” is deleted, as the circle chose; replies of others "
                "stay.",
                "Your %(num)d comments in “%(circle)s” are deleted, as the circle chose; replies "
                "of others stay.",
                count, circle=circle,
            ))
        else:
            lines.append(ngettext(
                "Your comment in “%(circle)s” is anonymised: it stays without your name, as the "
                "circle chose.",
                "Your %(num)d comments in “%(circle)s” are anonymised: they stay without your "
                "name, as the circle chose.",
                count, circle=circle,
            ))
    return lines


def _doomed_comments(user) -> sa.Select:
    """The user's comments in circles that delete."""
    return (
        sa.select(CaseComment.id)
        .join(CaseNote, CaseNote.id == CaseComment.case_id)
        .join(Circle, Circle.id == CaseNote.circle_id)
        .where(CaseComment.author_id == user.id, Circle.case_erasure == CaseErasure.DELETE)
    )


def erase_cases_and_comments(user) -> None:
    """Delete what the circles' policies delete; the rest is anonymised by the foreign keys."""
    case_ids = db.session.execute(_doomed_cases(user)).scalars().all()
    comment_ids = db.session.execute(_doomed_comments(user)).scalars().all()
    if comment_ids:
        db.session.execute(
            sa.update(CaseComment)
            .where(CaseComment.parent_id.in_(comment_ids), CaseComment.id.not_in(comment_ids))
            .values(parent_id=None)
            .execution_options(synchronize_session=False)
        )
        erasure.forget_confirmations("comment", comment_ids)
        db.session.execute(
            sa.delete(CaseComment).where(CaseComment.id.in_(comment_ids))
            .execution_options(synchronize_session="fetch")
        )
    erasure.delete_cases(case_ids)


# Reflections -------------------------------------------------------------------------------------


def export_reflections(user) -> list[dict]:
    about_case = aliased(CaseNote)
    reflections = db.session.execute(
        sa.select(Reflection, Circle.name, Meeting.title, about_case.title)
        .outerjoin(Circle, Circle.id == Reflection.circle_id)
        .outerjoin(Meeting, Meeting.id == Reflection.meeting_id)
        .outerjoin(about_case, about_case.id == Reflection.case_id)
        .where(Reflection.author_id == user.id)
        .order_by(Reflection.created_at, Reflection.id)
    )
    return [
        {
            "id": reflection.id,
            "template": reflection.template,
            "title": reflection.title,
            "prompt": reflection.prompt,
            "parts": reflection.parts,
            "sharing": reflection.sharing,
            "circle": circle,
            "meeting": meeting,
            "case": case,
            "created_at": reflection.created_at,
            "updated_at": reflection.updated_at,
        }
        for reflection, circle, meeting, case in reflections
    ]


def describe_reflections(user) -> list[str]:
    count = db.session.execute(
        sa.select(sa.func.count()).where(Reflection.author_id == user.id)
    ).scalar_one()
    if not count:
        return []
    return [ngettext("Your reflection is deleted.",
                     "Your %(num)d reflections are deleted, also those you shared.", count)]


# Privacy confirmations ---------------------------------------------------------------------------


def export_privacy_confirmations(user) -> list[dict]:
    confirmations = db.session.execute(
        sa.select(PrivacyConfirmation)
        .where(PrivacyConfirmation.user_id == user.id)
        .order_by(PrivacyConfirmation.confirmed_at, PrivacyConfirmation.id)
    ).scalars()
    return [
        {
            "subject_type": confirmation.subject_type,
            "subject_id": confirmation.subject_id,
            "kinds": [kind for kind in confirmation.kinds.split(",") if kind],
            "confirmed_at": confirmation.confirmed_at,
        }
        for confirmation in confirmations
    ]


def _no_lines(user) -> list[str]:
    return []


register_part("cases", export_cases, describe_cases, erase_cases_and_comments)
register_part("comments", export_comments, describe_comments)
register_part("reflections", export_reflections, describe_reflections)
register_part("privacy_confirmations", export_privacy_confirmations, _no_lines)
