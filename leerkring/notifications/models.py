import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leerkring.db import CreatedAtMixin, UTCDateTime, enum_column
from leerkring.extensions import db


class Notification(CreatedAtMixin, db.Model):
    """An in-app notice. The text is rendered when shown, in the reader's language."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: A key of ``leerkring.notifications.services.MESSAGES``.
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: Values for the message, e.g. {"circle": "Armoede Twente"}; never case content.
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Where the notice leads (a path inside the app).
    url: Mapped[str] = mapped_column(sa.String(255), default="")
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Channel(enum.StrEnum):
    EMAIL = "email"
    INAPP = "inapp"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Delivery(CreatedAtMixin, db.Model):
    """One reminder to one person on one channel: the outbox (DESIGN.md section 7).

    The unique key makes planning idempotent: planning twice, or two planners at once, can only
    ever make one row per (user, kind, subject, occurrence, channel).
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "kind", "subject_type", "subject_id", "occurrence_key", "channel",
            name="uq_deliveries_once",
        ),
        sa.Index("ix_deliveries_status_due_at", "status", "due_at"),
        sa.Index("ix_deliveries_subject", "subject_type", "subject_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: A kind from the registry (``leerkring.notifications.registry``).
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: What the reminder is about, e.g. ("meeting", 12); ("user", id) for the digest.
    subject_type: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    #: Names the occurrence, e.g. the meeting's original local start or the digest's ISO week;
    #: "" when the subject has only one.
    occurrence_key: Mapped[str] = mapped_column(sa.String(40), default="")
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 8))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: After this instant the reminder no longer makes sense and is not sent.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, 12), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    #: Nobody claims the row before this instant: the sender's lease while sending, the backoff
    #: after a failed attempt.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The worker that claimed it last.
    claimed_by: Mapped[str] = mapped_column(sa.String(80), default="")
    message_id: Mapped[str] = mapped_column(sa.String(200), default="")
    #: When the delivery pass sent it, or found that its kind had nothing to say (cancelled).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the last attempt failed (an exception's class and message; never mail content).
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")

    user = relationship("User")


class Digest(enum.StrEnum):
    WEEKLY = "weekly"
    NEVER = "never"


class NotificationSettings(db.Model):
    """A user's choices that are not per kind. No row: the platform defaults."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: How many days before a meeting its reminder comes (at the hour in config); None: default.
    meeting_lead_days: Mapped[int | None]
    digest: Mapped[Digest | None] = mapped_column(enum_column(Digest, 8))


class KindPreference(db.Model):
    """A user's choice for one kind on one channel, where it differs from the default."""

    __tablename__ = "kind_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 8))
    is_enabled: Mapped[bool]


class CircleMutedKind(db.Model):
    """A kind a circle's coordinators turned off for everyone in the circle."""

    __tablename__ = "circle_muted_kinds"
    __table_args__ = (sa.UniqueConstraint("circle_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(sa.ForeignKey("circles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
