"""Cohorts: creating and editing them, inviting students by e-mail and removing them, and the
selects their pages read (each one query, whatever the size). Services never commit.

Invitations by e-mail work as the circles' do (``leerkring.invitations``)."""

import logging
from functools import partial

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from leerkring import invitations
from leerkring.accounts.models import User
from leerkring.assignments import reminders
from leerkring.assignments.models import (
    Assignment,
    Cohort,
    CohortInvitation,
    CohortMember,
    CohortRole,
)
from leerkring.circles.models import Circle
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.mail import send_mail
from leerkring.permissions import can_create_cohort, visible_circles

log = logging.getLogger(__name__)

#: The most circles the cohort form offers to choose from.
CIRCLE_CHOICES_MAX = 200


class CohortRefusal(Exception):
    message = _l("That is not possible.")


class InvitationUnusable(CohortRefusal):
    message = _l("This invitation has expired or has already been used.")


class AlreadyInCohort(CohortRefusal):
    message = _l("You are already in this cohort.")


class LastLecturer(CohortRefusal):
    message = _l("A cohort keeps at least one lecturer. Invite another lecturer first.")


class NotALecturer(CohortRefusal):
    message = _l("This invitation is for a lecturer; ask the lecturer to invite you as a student.")


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


def remove_member(member: CohortMember) -> None:
    """Take a student or lecturer out of the cohort; the last lecturer stays."""
    if member.is_lecturer:
        others = db.session.execute(
            sa.select(sa.func.count()).where(
                CohortMember.cohort_id == member.cohort_id,
                CohortMember.role == CohortRole.LECTURER,
                CohortMember.id != member.id,
            )
        ).scalar_one()
        if not others:
            raise LastLecturer
    db.session.delete(member)
    reminders.replan_cohort(member.cohort_id)


def archive(cohort: Cohort, archived: bool = True) -> None:
    """An archived cohort takes no work, invitations or reminders; its pages stay readable."""
    if archived and cohort.archived_at is None:
        cohort.archived_at = utcnow()
    elif not archived:
        cohort.archived_at = None
    reminders.replan_cohort(cohort.id)


def invite(cohort: Cohort, inviter, emails: list[str],
           role: CohortRole = CohortRole.STUDENT) -> list[str]:
    """Invite each address not yet in the cohort by e-mail (in the inviter's language) to join as
    ``role``; returns the addresses invited."""
    already_in = set(
        db.session.execute(
            sa.select(sa.func.lower(User.email))
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id)
        ).scalars()
    )
    send = partial(_send_invitation, cohort, inviter, role)
    invited = invitations.invite(
        CohortInvitation, inviter, emails, already_in, send, cohort_id=cohort.id, role=role
    )
    log.info("Invitations sent for cohort %s: %d", cohort.id, len(invited))
    return invited


def send_again(invitation: CohortInvitation, sender) -> None:
    """A new link for an invitation not yet accepted; the old link stops working."""
    if invitation.accepted_at is not None:
        raise InvitationUnusable
    invitations.renew(invitation, partial(_send_invitation, invitation.cohort, sender,
                                          invitation.role))


def withdraw_invitation(invitation: CohortInvitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationUnusable
    db.session.delete(invitation)


def _send_invitation(cohort: Cohort, inviter, role: CohortRole, email: str, token: str,
                     days: int) -> None:
    link = url_for("assignments.cohort_invitation", token=token, _external=True)
    if role == CohortRole.LECTURER:
        invites = _(
            "%(inviter)s invites you as a lecturer to the cohort “%(cohort)s” on Leerkring, "
            "where you set fieldwork assignments and give feedback.",
            inviter=inviter.name, cohort=cohort.name,
        )
    else:
        invites = _(
            "%(inviter)s invites you as a student to the cohort “%(cohort)s” on Leerkring, "
            "where you follow your fieldwork assignments.",
            inviter=inviter.name, cohort=cohort.name,
        )
    text = "\n\n".join(
        [
            _("Hello,"),
            invites,
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
    return invitations.find(CohortInvitation, token, joinedload(CohortInvitation.cohort))


def is_usable(invitation: CohortInvitation) -> bool:
    return invitations.is_open(invitation) and invitation.cohort.archived_at is None


def accept_invitation(invitation: CohortInvitation, user) -> CohortMember:
    """Use ``invitation`` once: ``user`` joins its cohort in the invitation's role."""
    if not is_usable(invitation):
        raise InvitationUnusable
    if invitation.role == CohortRole.LECTURER and not can_create_cohort(user):
        raise NotALecturer
    already = db.session.execute(
        sa.select(CohortMember.id).where(
            CohortMember.cohort_id == invitation.cohort_id, CohortMember.user_id == user.id
        )
    ).scalar()
    if already is not None:
        raise AlreadyInCohort
    if not invitations.use(invitation, user):
        raise InvitationUnusable
    member = CohortMember(cohort_id=invitation.cohort_id, user_id=user.id, role=invitation.role)
    db.session.add(member)
    db.session.flush()
    reminders.replan_cohort(member.cohort_id)
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


def pending_invitations(cohort: Cohort) -> sa.Select:
    """Invitations not yet accepted, expired ones too (they can be sent again), the newest first."""
    return (
        sa.select(CohortInvitation)
        .where(CohortInvitation.cohort_id == cohort.id, CohortInvitation.accepted_at.is_(None))
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
