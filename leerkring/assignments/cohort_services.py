"""Cohorts: creating and editing them, inviting students by e-mail and removing them, and the
selects their pages read (each one query, whatever the size). Services never commit.

Invitation tokens work as the circles' do: only ``circles.models.hash_token`` of the token is
stored, the token itself exists only in the mail."""

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from leerkring.accounts.models import User
from leerkring.assignments.models import (
    Assignment,
    Cohort,
    CohortInvitation,
    CohortMember,
    CohortRole,
)
from leerkring.circles.models import Circle, hash_token
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.mail import send_mail
from leerkring.permissions import visible_circles

log = logging.getLogger(__name__)

#: The most circles the cohort form offers to choose from.
CIRCLE_CHOICES_MAX = 200


class CohortRefusal(Exception):
    message = _l("That is not possible.")


class InvitationUnusable(CohortRefusal):
    message = _l("This invitation has expired or has already been used.")


class AlreadyInCohort(CohortRefusal):
    message = _l("You are already in this cohort.")


# Changes --------------------------------------------------------------------------------------


def create_cohort(lecturer, fields: dict, circles: list[Circle]) -> Cohort:
    """A new cohort with ``lecturer`` as its (first) lecturer."""
    cohort = Cohort(created_by_id=lecturer.id, circles=list(circles), **fields)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=lecturer.id, role=CohortRole.LECTURER))
    return cohort


def update_cohort(cohort: Cohort, fields: dict, circles: list[Circle]) -> None:
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.circles = list(circles)


def remove_student(member: CohortMember) -> None:
    if member.is_lecturer:
        raise CohortRefusal
    db.session.delete(member)


def invite(cohort: Cohort, inviter, emails: list[str]) -> list[str]:
    """Invite each address not yet in the cohort by e-mail (in the inviter's language); returns
    the addresses invited."""
    already_in = set(
        db.session.execute(
            sa.select(sa.func.lower(User.email))
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id)
        ).scalars()
    )
    days = current_app.config["INVITATION_MAX_AGE_DAYS"]
    invited = []
    for email in dict.fromkeys(address.strip().lower() for address in emails):
        if not email or email in already_in:
            continue
        token = secrets.token_urlsafe(32)
        db.session.add(
            CohortInvitation(
                cohort_id=cohort.id,
                email=email,
                token_hash=hash_token(token),
                invited_by_id=inviter.id,
                expires_at=utcnow() + timedelta(days=days),
            )
        )
        db.session.flush()
        _send_invitation(cohort, inviter, email, token, days)
        invited.append(email)
    log.info("Invitations sent for cohort %s: %d", cohort.id, len(invited))
    return invited


def _send_invitation(cohort: Cohort, inviter, email: str, token: str, days: int) -> None:
    link = url_for("assignments.cohort_invitation", token=token, _external=True)
    text = "\n\n".join(
        [
            _("Hello,"),
            _(
                "%(inviter)s invites you as a student to the cohort “%(cohort)s” on Leerkring, "
                "where you follow your fieldwork assignments.",
                inviter=inviter.name,
                cohort=cohort.name,
            ),
            _("Open this link to accept the invitation:") + "\n" + link,
            _(
                "No account yet? Create one first, then open the link again. The link works for "
                "%(days)s days and only once.",
                days=days,
            ),
        ]
    )
    send_mail(email, _("Invitation to the cohort %(cohort)s", cohort=cohort.name), text + "\n")


def find_invitation(token: str) -> CohortInvitation | None:
    return db.session.execute(
        sa.select(CohortInvitation)
        .where(CohortInvitation.token_hash == hash_token(token))
        .options(joinedload(CohortInvitation.cohort))
    ).scalar()


def is_usable(invitation: CohortInvitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.expires_at > utcnow()
        and invitation.cohort.archived_at is None
    )


def accept_invitation(invitation: CohortInvitation, user) -> CohortMember:
    """Use ``invitation`` once: ``user`` becomes a student of its cohort."""
    if not is_usable(invitation):
        raise InvitationUnusable
    already = db.session.execute(
        sa.select(CohortMember.id).where(
            CohortMember.cohort_id == invitation.cohort_id, CohortMember.user_id == user.id
        )
    ).scalar()
    if already is not None:
        raise AlreadyInCohort
    used = db.session.execute(
        sa.update(CohortInvitation)
        .where(CohortInvitation.id == invitation.id, CohortInvitation.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise InvitationUnusable
    db.session.expire(invitation, ["accepted_at", "accepted_by_id"])
    member = CohortMember(cohort_id=invitation.cohort_id, user_id=user.id, role=CohortRole.STUDENT)
    db.session.add(member)
    db.session.flush()
    return member


# Reading --------------------------------------------------------------------------------------


def my_cohorts(user) -> sa.Select:
    """``user``'s places in cohorts (lecturer or student), each with its cohort: running cohorts
    first, the latest start first."""
    return (
        sa.select(CohortMember)
        .join(CohortMember.cohort)
        .where(CohortMember.user_id == user.id)
        .options(contains_eager(CohortMember.cohort))
        .order_by(Cohort.archived_at.is_not(None), Cohort.starts_on.desc(), Cohort.id.desc())
    )


def student_counts(cohort_ids) -> dict[int, int]:
    if not cohort_ids:
        return {}
    rows = db.session.execute(
        sa.select(CohortMember.cohort_id, sa.func.count())
        .where(CohortMember.cohort_id.in_(cohort_ids), CohortMember.role == CohortRole.STUDENT)
        .group_by(CohortMember.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}


def load_cohort_page(cohort_id: int) -> Cohort:
    """The cohort with its circles and their Werkplaatsen, or 404."""
    return db.first_or_404(
        sa.select(Cohort)
        .where(Cohort.id == cohort_id)
        .options(selectinload(Cohort.circles).joinedload(Circle.werkplaats))
    )


def lecturers(cohort: Cohort) -> list[CohortMember]:
    return list(
        db.session.execute(
            sa.select(CohortMember)
            .join(CohortMember.user)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.role == CohortRole.LECTURER)
            .options(joinedload(CohortMember.user))
            .order_by(User.name, User.id)
        ).scalars()
    )


def students(cohort: Cohort) -> sa.Select:
    return (
        sa.select(CohortMember)
        .join(CohortMember.user)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.role == CohortRole.STUDENT)
        .options(joinedload(CohortMember.user))
        .order_by(User.name, User.id)
    )


def open_invitations(cohort: Cohort) -> sa.Select:
    return (
        sa.select(CohortInvitation)
        .where(
            CohortInvitation.cohort_id == cohort.id,
            CohortInvitation.accepted_at.is_(None),
            CohortInvitation.expires_at > utcnow(),
        )
        .order_by(CohortInvitation.created_at.desc(), CohortInvitation.id.desc())
    )


def circle_choices(user, cohort: Cohort | None = None) -> list[Circle]:
    """The circles ``user`` may link: those they can find (not archived), by name, at most
    ``CIRCLE_CHOICES_MAX``, plus the cohort's own."""
    found = list(
        db.session.execute(
            sa.select(Circle)
            .where(visible_circles(user))
            .order_by(Circle.name, Circle.id)
            .limit(CIRCLE_CHOICES_MAX)
        ).scalars()
    )
    linked = [circle for circle in (cohort.circles if cohort else ()) if circle not in found]
    return sorted(found + linked, key=lambda circle: (circle.name, circle.id))


#: The cohort page lists this many assignments at most; the grid shows them all.
COHORT_PAGE_ASSIGNMENTS = 100


def assignments(cohort: Cohort) -> list[Assignment]:
    """The cohort's assignments by due date, for its page."""
    return list(db.session.execute(
        sa.select(Assignment).where(Assignment.cohort_id == cohort.id)
        .order_by(Assignment.due_at, Assignment.id).limit(COHORT_PAGE_ASSIGNMENTS)
    ).scalars())
