"""Changes to circles and their memberships. Services never commit; the caller does, once.

Refusals are exceptions whose ``message`` the view shows to the user.
"""

import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from blinker import Namespace
from flask import url_for
from flask_babel import lazy_gettext as _l

from leerkring.circles.models import (
    Circle,
    CircleRole,
    JoinMode,
    JoinRequest,
    Membership,
    RequestStatus,
)
from leerkring.extensions import db
from leerkring.notifications import outbox
from leerkring.notifications import services as notifications

log = logging.getLogger(__name__)

notifications.register("circle_request_approved", _l("You are now a member of %(circle)s."))
notifications.register(
    "circle_request_declined", _l("Your request to join %(circle)s was declined.")
)


class CircleRefusal(Exception):
    """A change the circle's rules do not allow."""

    message = _l("This is not possible in this circle.")


class CircleFull(CircleRefusal):
    """No place is left in the circle."""

    message = _l("This circle is full: every place is taken. Try again when someone leaves.")


class LastCoordinator(CircleRefusal):
    message = _l(
        "A circle needs a coordinator. Make another member co-coordinator first, then you can "
        "step down or leave."
    )


class AlreadyMember(CircleRefusal):
    message = _l("You are already a member of this circle.")


class AlreadyDecided(CircleRefusal):
    message = _l("Someone else has already decided on this request.")



def now() -> datetime:
    return datetime.now(UTC)


_signals = Namespace()

#: Sent with the Membership just before a member leaves or is removed; other areas (meetings)
#: connect to it, so the circles area needs to know nothing about them.
member_leaving = _signals.signal("member-leaving")
#: Sent with the Circle after a member joined or left (flushed), e.g. to replan reminders.
members_changed = _signals.signal("members-changed")


# Places in a circle ---------------------------------------------------------------------------


def add_member(circle: Circle, user, role: CircleRole = CircleRole.MEMBER) -> Membership:
    """Give ``user`` a place in ``circle``, or raise ``CircleFull``.

    ``member_count`` is kept on the circle so that taking a place is one conditional UPDATE: two
    people asking for the last place at the same moment can never both get it, and "has room" is
    an indexed filter on the circle list. A pending request of ``user`` is settled by joining.
    """
    taken = db.session.execute(
        sa.update(Circle)
        .where(
            Circle.id == circle.id,
            sa.or_(Circle.max_members.is_(None), Circle.member_count < Circle.max_members),
        )
        .values(member_count=Circle.member_count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise CircleFull
    membership = Membership(circle=circle, user=user, role=role, joined_at=now())
    db.session.add(membership)
    db.session.execute(
        sa.update(JoinRequest)
        .where(
            JoinRequest.circle_id == circle.id,
            JoinRequest.user_id == user.id,
            JoinRequest.status == RequestStatus.PENDING,
        )
        .values(status=RequestStatus.APPROVED, decided_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire(circle, ["member_count"])
    members_changed.send(circle)
    return membership


def remove_member(membership: Membership) -> None:
    """Free the place ``membership`` held; the last coordinator goes only when nobody remains."""
    circle = membership.circle
    if membership.is_coordinator and _is_last_coordinator_with_others(membership):
        raise LastCoordinator
    member_leaving.send(membership)
    db.session.delete(membership)
    db.session.execute(
        sa.update(Circle)
        .where(Circle.id == circle.id)
        .values(member_count=Circle.member_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire(circle, ["member_count"])
    members_changed.send(circle)


def _is_last_coordinator_with_others(membership: Membership) -> bool:
    counts = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(Membership.role == CircleRole.COORDINATOR),
        ).where(Membership.circle_id == membership.circle_id)
    ).one()
    everyone, coordinators = counts
    return coordinators <= 1 and everyone > 1


# Circles --------------------------------------------------------------------------------------

CIRCLE_FIELDS = ("name", "description", "werkplaats_id", "theme_id", "join_mode", "visibility",
                 "max_members")


def create_circle(creator, **fields) -> Circle:
    """A new circle with ``creator`` as its first coordinator."""
    circle = Circle(**{name: fields[name] for name in CIRCLE_FIELDS}, member_count=0)
    db.session.add(circle)
    db.session.flush()
    add_member(circle, creator, CircleRole.COORDINATOR)
    return circle


def update_circle(circle: Circle, **fields) -> None:
    for name in CIRCLE_FIELDS:
        setattr(circle, name, fields[name])
    db.session.flush()


def archive(circle: Circle) -> None:
    circle.archived_at = now()
    db.session.flush()


def reopen(circle: Circle) -> None:
    circle.archived_at = None
    db.session.flush()


# Joining and leaving --------------------------------------------------------------------------


def join(circle: Circle, user) -> Membership:
    """Join an open circle."""
    if circle.join_mode != JoinMode.OPEN:
        raise CircleRefusal
    return add_member(circle, user)


def leave(membership: Membership) -> None:
    remove_member(membership)


def pending_request(circle: Circle, user) -> JoinRequest | None:
    return db.session.execute(
        sa.select(JoinRequest).where(
            JoinRequest.circle_id == circle.id,
            JoinRequest.user_id == user.id,
            JoinRequest.status == RequestStatus.PENDING,
        )
    ).scalar()


def request_to_join(circle: Circle, user, message: str = "") -> JoinRequest:
    """Ask the coordinators of an on-request circle for a place (one pending request at a time)."""
    if circle.join_mode != JoinMode.ON_REQUEST:
        raise CircleRefusal
    if circle.is_full:
        raise CircleFull
    existing = pending_request(circle, user)
    if existing is not None:
        existing.message = message
        return existing
    join_request = JoinRequest(circle=circle, user=user, message=message)
    db.session.add(join_request)
    db.session.flush()
    outbox.replan("circle", circle.id, kinds=["join_request_waiting"])
    return join_request


def withdraw_request(join_request: JoinRequest) -> None:
    if join_request.status != RequestStatus.PENDING:
        raise AlreadyDecided
    db.session.delete(join_request)
    db.session.flush()


def _decide(join_request: JoinRequest, decider, status: RequestStatus) -> None:
    """Settle a pending request exactly once, even when two coordinators click together."""
    decided = db.session.execute(
        sa.update(JoinRequest)
        .where(JoinRequest.id == join_request.id, JoinRequest.status == RequestStatus.PENDING)
        .values(status=status, decided_at=now(), decided_by_id=decider.id)
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:
        raise AlreadyDecided
    db.session.expire(join_request, ["status", "decided_at", "decided_by_id"])


def approve_request(join_request: JoinRequest, decider) -> Membership:
    """Admit the requester (or raise ``CircleFull``) and tell them."""
    circle = join_request.circle
    _decide(join_request, decider, RequestStatus.APPROVED)
    membership = add_member(circle, join_request.user)
    notifications.notify(
        join_request.user,
        "circle_request_approved",
        url_for("circles.show", circle_id=circle.id),
        circle=circle.name,
    )
    return membership


def decline_request(join_request: JoinRequest, decider) -> None:
    circle = join_request.circle
    _decide(join_request, decider, RequestStatus.DECLINED)
    notifications.notify(
        join_request.user,
        "circle_request_declined",
        url_for("circles.index"),
        circle=circle.name,
    )


# Coordinators ---------------------------------------------------------------------------------


def make_coordinator(membership: Membership) -> None:
    membership.role = CircleRole.COORDINATOR
    db.session.flush()


def step_down(membership: Membership) -> None:
    """A coordinator becomes a member again, when another coordinator remains."""
    others = db.session.execute(
        sa.select(sa.func.count()).where(
            Membership.circle_id == membership.circle_id,
            Membership.role == CircleRole.COORDINATOR,
            Membership.id != membership.id,
        )
    ).scalar_one()
    if not others:
        raise LastCoordinator
    membership.role = CircleRole.MEMBER
    db.session.flush()
