"""The notifications' part of a user's data rights (see ``leerkring.accounts.data_rights``):
notification preferences and in-app notices. Deleting an account deletes both, and every
reminder planned for the user, with the user row (foreign keys)."""

import sqlalchemy as sa
from flask_babel import gettext as _

from leerkring.accounts.data_rights import register_part
from leerkring.extensions import db
from leerkring.notifications import choices, services
from leerkring.notifications.models import Notification


def export_preferences(user) -> dict:
    """The effective choices, defaults filled in, as the preferences page shows them."""
    _kinds, chosen = choices.current(user)
    return {
        "meeting_lead_days": chosen.meeting_lead_days,
        "digest": chosen.digest,
        "channels": {
            kind: {channel.value: is_on for channel, is_on in per_channel.items()}
            for kind, per_channel in chosen.channels.items()
        },
    }


def describe_preferences(user) -> list[str]:
    return [_("Your notices and notification settings are deleted, and no reminder is sent to "
              "you any more.")]


def export_notices(user) -> list[dict]:
    notices = db.session.execute(
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at, Notification.id)
    ).scalars()
    return [
        {
            "text": services.text(notice),
            "url": notice.url,
            "created_at": notice.created_at,
            "read_at": notice.read_at,
        }
        for notice in notices
    ]


def _no_lines(user) -> list[str]:
    return []


register_part("notification_preferences", export_preferences, describe_preferences)
register_part("notices", export_notices, _no_lines)
