"""The circles' part of a user's data rights (see ``leerkring.accounts.data_rights``):
memberships, requests to join and invitations.

Deleting an account leaves every circle the way leaving does (places counted, coming answers
dropped), with two differences, because the user cannot stay behind to arrange things:

- the last coordinator of a circle with other members hands over to its longest-standing member
  (who is told in a notice), where leaving would be refused;
- a circle left without members is archived: nobody is there to coordinate it, and its cases
  should not be found by whoever joins next. Its Werkplaats' admins can reopen it.

Invitations the user sent stay valid (the circle invited, and their page copes without an
inviter); invitations sent to the user's address are deleted, since they hold that address.
"""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from leerkring.accounts.data_rights import caution, register_part
from leerkring.accounts.models import User
from leerkring.circles import services
from leerkring.circles.models import (
    Circle,
    CircleRole,
    Invitation,
    JoinRequest,
    Membership,
    RequestStatus,
)
from leerkring.extensions import db
from leerkring.notifications import services as notifications

notifications.register(
    "circle_coordinator_handover",
    _l("You are now a coordinator of %(circle)s: its last coordinator deleted their account."),
)


def _memberships(user) -> list[Membership]:
    return list(
        db.session.execute(
            sa.select(Membership)
            .where(Membership.user_id == user.id)
            .options(joinedload(Membership.circle))
            .order_by(Membership.joined_at, Membership.id)
        ).scalars()
    )


def successor(membership: Membership) -> Membership | None:
    """Who becomes coordinator when ``membership``, the circle's last coordinator, goes: the
    longest-standing other member. None when another coordinator remains, or nobody does."""
    if not membership.is_coordinator:
        return None
    others = db.session.execute(
        sa.select(Membership)
        .where(Membership.circle_id == membership.circle_id, Membership.id != membership.id)
        .options(joinedload(Membership.user))
        .order_by((Membership.role == CircleRole.COORDINATOR).desc(), Membership.joined_at,
                  Membership.id)
        .limit(1)
    ).scalar()
    if others is None or others.is_coordinator:
        return None
    return others


def _is_alone(membership: Membership) -> bool:
    return membership.circle.member_count <= 1


# Memberships -------------------------------------------------------------------------------------


def export_memberships(user) -> list[dict]:
    return [
        {
            "circle_id": membership.circle_id,
            "circle": membership.circle.name,
            "role": membership.role,
            "joined_at": membership.joined_at,
        }
        for membership in _memberships(user)
    ]


def describe_memberships(user) -> list[str]:
    memberships = _memberships(user)
    if not memberships:
        return []
    lines = [ngettext("Your membership of %(num)d circle ends.",
                      "Your memberships of %(num)d circles end.", len(memberships))]
    for membership in memberships:
        circle = membership.circle.name
        heir = successor(membership)
        if heir is not None:
            lines.append(caution(_(
                "You are the last coordinator of “%(circle)s”: %(name)s, its longest-standing "
                "member, becomes coordinator in your place.", circle=circle, name=heir.user.name,
            )))
        elif _is_alone(membership) and not membership.circle.is_archived:
            lines.append(caution(_(
                "You are the only member of “%(circle)s”: the circle is archived.", circle=circle,
            )))
    return lines


def erase_memberships(user) -> None:
    """Leave every circle: hand over where the user is the last coordinator, archive what is
    left empty."""
    for membership in _memberships(user):
        circle = membership.circle
        heir = successor(membership)
        if heir is not None:
            services.make_coordinator(heir)
            notifications.notify(heir.user, "circle_coordinator_handover",
                                 url_for("circles.show", circle_id=circle.id), circle=circle.name)
        services.remove_member(membership)
        if circle.member_count == 0 and not circle.is_archived:
            services.archive(circle)


# Requests to join --------------------------------------------------------------------------------


def export_join_requests(user) -> list[dict]:
    requests = db.session.execute(
        sa.select(JoinRequest)
        .where(JoinRequest.user_id == user.id)
        .options(joinedload(JoinRequest.circle))
        .order_by(JoinRequest.created_at, JoinRequest.id)
    ).scalars()
    return [
        {
            "circle": request.circle.name,
            "message": request.message,
            "status": request.status,
            "created_at": request.created_at,
            "decided_at": request.decided_at,
        }
        for request in requests
    ]


def describe_join_requests(user) -> list[str]:
    pending = db.session.execute(
        sa.select(sa.func.count()).where(
            JoinRequest.user_id == user.id, JoinRequest.status == RequestStatus.PENDING
        )
    ).scalar_one()
    if not pending:
        return []
    return [ngettext("Your request to join a circle is withdrawn.",
                     "Your %(num)d requests to join a circle are withdrawn.", pending)]


# Invitations -------------------------------------------------------------------------------------


def _addressed_to(user):
    return Invitation.email == user.email


def export_invitations(user) -> list[dict]:
    invitations = db.session.execute(
        sa.select(Invitation, Circle.name, User.name)
        .join(Circle, Circle.id == Invitation.circle_id)
        .outerjoin(User, User.id == Invitation.invited_by_id)
        .where(_addressed_to(user))
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [
        {
            "circle": circle,
            "invited_by": inviter,
            "created_at": invitation.created_at,
            "expires_at": invitation.expires_at,
            "accepted_at": invitation.accepted_at,
        }
        for invitation, circle, inviter in invitations
    ]


def describe_invitations(user) -> list[str]:
    still_open = db.session.execute(
        sa.select(sa.func.count()).where(
            Invitation.invited_by_id == user.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > services.now(),
        )
    ).scalar_one()
    if not still_open:
        return []
    return [ngettext(
        "The invitation you sent that is still open stays valid, without your name.",
        "The %(num)d invitations you sent that are still open stay valid, without your name.",
        still_open,
    )]


def erase_invitations(user) -> None:
    db.session.execute(
        sa.delete(Invitation).where(_addressed_to(user)).execution_options(
            synchronize_session=False
        )
    )


register_part("memberships", export_memberships, describe_memberships, erase_memberships)
register_part("join_requests", export_join_requests, describe_join_requests)
register_part("invitations", export_invitations, describe_invitations, erase_invitations)
