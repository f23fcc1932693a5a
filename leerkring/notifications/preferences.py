"""Who wants which reminder on which channel: platform defaults (config) → the circle (its
coordinators can turn a kind off) → the user's own choices."""

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from leerkring.accounts.models import User
from leerkring.extensions import db
from leerkring.notifications.models import (
    Channel,
    CircleMutedKind,
    Digest,
    KindPreference,
    NotificationSettings,
)
from leerkring.notifications.registry import Due, Kind


def default_channels(kind: Kind) -> tuple[Channel, ...]:
    return tuple(current_app.config["NOTIFICATION_CHANNELS"].get(kind.name, kind.channels))


def with_channels(kind: Kind, dues: Iterable[Due]) -> list[tuple[Due, Channel]]:
    """Each reminder on each channel it should go out on (three queries, whatever the number)."""
    dues = list(dues)
    muted = set(
        db.session.execute(
            sa.select(CircleMutedKind.circle_id).where(CircleMutedKind.kind == kind.name)
        ).scalars()
    )
    chosen = {
        (user_id, channel): is_enabled
        for user_id, channel, is_enabled in db.session.execute(
            sa.select(KindPreference.user_id, KindPreference.channel, KindPreference.is_enabled)
            .where(KindPreference.kind == kind.name)
        )
    }
    defaults = default_channels(kind)
    return [
        (due, channel)
        for due in dues
        if due.circle_id not in muted
        for channel in Channel
        if chosen.get((due.user_id, channel), channel in defaults)
    ]


def channels(user, kind: Kind) -> dict[Channel, bool]:
    """The user's effective choice per channel (for the preferences page)."""
    chosen = dict(
        db.session.execute(
            sa.select(KindPreference.channel, KindPreference.is_enabled).where(
                KindPreference.user_id == user.id, KindPreference.kind == kind.name
            )
        ).all()
    )
    return effective(kind, chosen)


def effective(kind: Kind, chosen: dict[Channel, bool]) -> dict[Channel, bool]:
    """Per channel: the user's choice where they made one, the default otherwise."""
    defaults = default_channels(kind)
    return {channel: chosen.get(channel, channel in defaults) for channel in Channel}


def choose(user, kind: Kind, channel: Channel, is_enabled: bool) -> None:
    """Record the user's choice (a row only where it differs from the default)."""
    existing = db.session.execute(
        sa.select(KindPreference).where(
            KindPreference.user_id == user.id,
            KindPreference.kind == kind.name,
            KindPreference.channel == channel,
        )
    ).scalar()
    if is_enabled == (channel in default_channels(kind)):
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(
            KindPreference(user_id=user.id, kind=kind.name, channel=channel, is_enabled=is_enabled)
        )
    else:
        existing.is_enabled = is_enabled


def settings(user) -> NotificationSettings:
    """The user's settings row (not yet added to the session when there is none)."""
    return db.session.get(NotificationSettings, user.id) or NotificationSettings(user_id=user.id)


def lead_days(user_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Days before a meeting its reminder comes, for users who chose; others use
    ``meeting_lead_days_default()``."""
    statement = sa.select(
        NotificationSettings.user_id, NotificationSettings.meeting_lead_days
    ).where(NotificationSettings.meeting_lead_days.is_not(None))
    if user_ids is not None:
        statement = statement.where(NotificationSettings.user_id.in_(list(user_ids)))
    return dict(db.session.execute(statement).all())


def meeting_lead_days_default() -> int:
    return current_app.config["REMINDER_MEETING_LEAD_DAYS"]


def digest_subscribers():
    """A select of the ids of users who get the weekly digest."""
    default = Digest(current_app.config["DIGEST_DEFAULT"])
    chosen = sa.func.coalesce(NotificationSettings.digest, default.value)
    return (
        sa.select(User.id)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(User.email_verified_at.is_not(None), chosen == Digest.WEEKLY.value)
    )


# One-click unsubscribe ------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_url(user, kind_name: str) -> str:
    """The absolute link in every reminder mail that turns its kind off for this user."""
    token = _serializer().dumps([user.id, kind_name])
    return url_for("notifications.unsubscribe", token=token, _external=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) when ``token`` is genuine."""
    try:
        user_id, kind_name = _serializer().loads(token)
        return int(user_id), str(kind_name)
    except (BadSignature, ValueError, TypeError):
        return None
