"""Reminders that could not be sent after every attempt: shown to association admins, who can
send them again once the cause (usually the mail server) is fixed."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import outbox
from leerkring.notifications.models import Delivery, DeliveryStatus


def failed():
    """Failed deliveries with their recipients, newest first (a select for pagination)."""
    return (
        sa.select(Delivery)
        .where(Delivery.status == DeliveryStatus.FAILED)
        .options(joinedload(Delivery.user))
        .order_by(Delivery.due_at.desc(), Delivery.id.desc())
    )


def count() -> int:
    return db.session.execute(
        sa.select(sa.func.count()).where(Delivery.status == DeliveryStatus.FAILED)
    ).scalar_one()


def retry_all(now: datetime | None = None) -> int:
    """Send again every failed reminder that still makes sense; returns how many."""
    now = now or utcnow()
    retried = db.session.execute(
        sa.select(Delivery).where(
            Delivery.status == DeliveryStatus.FAILED, Delivery.expires_at > now
        )
    ).scalars().all()
    for delivery in retried:
        outbox.retry(delivery, now)
    return len(retried)
