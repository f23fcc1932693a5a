from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from leerkring.db import CreatedAtMixin, UTCDateTime
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
