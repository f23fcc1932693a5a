"""Shared by the meeting reminder tests: meetings in Amsterdam wall-clock time, the outbox's
rows, and a scheduler pass at a fixed moment."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from leerkring import scheduler
from leerkring.circles.models import Membership
from leerkring.extensions import db
from leerkring.meetings import services
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from tests.factories import make_circle, make_user

AMS = "Europe/Amsterdam"
EN = {"Accept-Language": "en"}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def amsterdam(*args) -> datetime:
    """A wall-clock time in Amsterdam as a UTC instant."""
    return datetime(*args, tzinfo=ZoneInfo(AMS)).astimezone(UTC)


def plan(circle, coordinator, start: datetime, minutes=90, **fields):
    """A meeting through the service (so its reminders are planned), committed."""
    fields = {"title": "Intervisie", "place_address": "Markt 1, Hengelo", **fields}
    meeting = services.create_meeting(
        circle, coordinator, starts_at=start, ends_at=start + timedelta(minutes=minutes),
        timezone=AMS, **fields,
    )
    db.session.commit()
    return meeting


def rows(kind=None, user=None, meeting=None, status=None, channel=Channel.EMAIL):
    """Outbox rows, oldest first."""
    db.session.expire_all()
    statement = sa.select(Delivery).order_by(Delivery.id)
    for column, value in (
        (Delivery.kind, kind),
        (Delivery.user_id, getattr(user, "id", None)),
        (Delivery.subject_id, getattr(meeting, "id", None)),
        (Delivery.status, status),
        (Delivery.channel, channel),
    ):
        if value is not None:
            statement = statement.where(column == value)
    return list(db.session.execute(statement).scalars())


def pending(kind, user=None, meeting=None):
    return rows(kind, user, meeting, status=DeliveryStatus.PENDING)


def due_at(kind, user, meeting) -> datetime:
    """When ``user``'s one pending e-mail of ``kind`` about ``meeting`` is due."""
    [row] = pending(kind, user, meeting)
    return row.due_at


def recipients(kind, meeting=None, status=DeliveryStatus.PENDING) -> set[int]:
    return {row.user_id for row in rows(kind, meeting=meeting, status=status)}


def tick(now: datetime):
    """One scheduler pass (plan and deliver) as if at ``now``, as the job runs it."""
    with scheduler.job_context(current_app):
        return scheduler.tick(now)


def notices(user, kind=None):
    db.session.expire_all()
    statement = sa.select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        statement = statement.where(Notification.kind == kind)
    return list(db.session.execute(statement).scalars())


def membership(circle, user) -> Membership:
    return db.session.execute(
        sa.select(Membership).filter_by(circle_id=circle.id, user_id=user.id)
    ).scalar_one()


def make_people():
    """A circle with a coordinator and three members (Anna, Bram, Cor)."""
    coordinator = make_user(name="Coördinator Cora")
    members = [make_user(name=name) for name in ("Anna", "Bram", "Cor")]
    circle = make_circle(coordinator=coordinator, members=members)
    return circle, coordinator, members
