"""Invitations to a circle by e-mail (``leerkring.invitations``). Services never commit."""

import logging
from functools import partial

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from leerkring import invitations
from leerkring.accounts.models import User
from leerkring.circles.models import Circle, Invitation, Membership
from leerkring.circles.services import AlreadyMember, CircleRefusal, add_member
from leerkring.extensions import db
from leerkring.mail import send_mail

log = logging.getLogger(__name__)


class InvitationUnusable(CircleRefusal):
    message = _l("This invitation has expired or has already been used.")


def invite(circle: Circle, inviter, emails: list[str]) -> list[str]:
    """Invite each address not yet in the circle by e-mail (in the inviter's language); returns
    the addresses invited."""
    already_in = set(
        db.session.execute(
            sa.select(sa.func.lower(User.email))
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.circle_id == circle.id)
        ).scalars()
    )
    send = partial(_send_invitation, circle, inviter)
    invited = invitations.invite(Invitation, inviter, emails, already_in, send, circle=circle)
    log.info("Invitations sent for circle %s: %d", circle.id, len(invited))
    return invited


def _send_invitation(circle: Circle, inviter, email: str, token: str, days: int) -> None:
    link = url_for("circles.invitation", token=token, _external=True)
    text = "\n\n".join(
        [
            _("Hello,"),
            _(
                "%(inviter)s invites you to join the learning circle “%(circle)s” on Leerkring, "
                "the platform of the Werkplaatsen Sociaal Domein.",
                inviter=inviter.name,
                circle=circle.name,
            ),
            _("Open this link to accept the invitation:") + "\n" + link,
            _(
                "No account yet? The same link lets you create one. The link works for %(days)s "
                "days and only once.",
                days=days,
            ),
        ]
    )
    send_mail(email, _("Invitation to the circle %(circle)s", circle=circle.name), text + "\n")


def find_invitation(token: str) -> Invitation | None:
    return invitations.find(
        Invitation, token, sa.orm.joinedload(Invitation.circle),
        sa.orm.joinedload(Invitation.invited_by),
    )


def is_usable(invitation: Invitation) -> bool:
    return invitations.is_open(invitation) and not invitation.circle.is_archived


def open_invitation_for(circle: Circle, user) -> Invitation | None:
    """An unused, unexpired invitation of ``circle`` to ``user``'s (verified) address."""
    if not user.is_verified:
        return None
    return db.session.execute(
        sa.select(Invitation)
        .where(
            Invitation.circle_id == circle.id,
            Invitation.email == user.email.lower(),
            invitations.still_open(Invitation),
        )
        .order_by(Invitation.expires_at.desc())
        .limit(1)
    ).scalar()


def accept_invitation(invitation: Invitation, user) -> Membership:
    """Use ``invitation`` once: ``user`` joins whatever the join mode, within the maximum."""
    circle = invitation.circle
    if not is_usable(invitation):
        raise InvitationUnusable
    already = db.session.execute(
        sa.select(Membership.id).where(
            Membership.circle_id == circle.id, Membership.user_id == user.id
        )
    ).scalar()
    if already is not None:
        raise AlreadyMember
    if not invitations.use(invitation, user):
        raise InvitationUnusable
    return add_member(circle, user)
