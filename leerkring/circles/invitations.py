"""Invitations to a circle by e-mail: only the hash of each token is stored, the token itself
exists only in the mail. Services never commit."""

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from leerkring.accounts.models import User
from leerkring.circles.models import Circle, Invitation, Membership, hash_token
from leerkring.circles.services import AlreadyMember, CircleRefusal, add_member, now
from leerkring.extensions import db
from leerkring.mail import send_mail

log = logging.getLogger(__name__)


class InvitationUnusable(CircleRefusal):
    message = _l("This invitation has expired or has already been used.")


def invite(circle: Circle, inviter, emails: list[str]) -> list[str]:
    """Invite each address by e-mail (in the inviter's language); returns the addresses invited.

    Only the hash of each token is stored; the token itself exists only in the e-mail.
    """
    already_in = set(
        db.session.execute(
            sa.select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.circle_id == circle.id)
        ).scalars()
    )
    invited = []
    days = current_app.config["INVITATION_MAX_AGE_DAYS"]
    for email in dict.fromkeys(address.strip().lower() for address in emails):
        if not email or email in already_in:
            continue
        token = secrets.token_urlsafe(32)
        db.session.add(
            Invitation(
                circle=circle,
                email=email,
                token_hash=hash_token(token),
                invited_by_id=inviter.id,
                expires_at=now() + timedelta(days=days),
            )
        )
        db.session.flush()
        _send_invitation(circle, inviter, email, token, days)
        invited.append(email)
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
    return db.session.execute(
        sa.select(Invitation)
        .where(Invitation.token_hash == hash_token(token))
        .options(sa.orm.joinedload(Invitation.circle), sa.orm.joinedload(Invitation.invited_by))
    ).scalar()


def is_usable(invitation: Invitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.expires_at > now()
        and not invitation.circle.is_archived
    )


def open_invitation_for(circle: Circle, user) -> Invitation | None:
    """An unused, unexpired invitation of ``circle`` to ``user``'s (verified) address."""
    if not user.is_verified:
        return None
    return db.session.execute(
        sa.select(Invitation)
        .where(
            Invitation.circle_id == circle.id,
            Invitation.email == user.email.lower(),
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now(),
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
    used = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise InvitationUnusable
    db.session.expire(invitation, ["accepted_at", "accepted_by_id"])
    return add_member(circle, user)
