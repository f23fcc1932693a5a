"""The personal calendar feed: its secret address, renewing it, and the meetings it shows.

The token in the address is an HMAC of the user and the moment the feed was (re)made, under the
app's secret key; the database keeps only the token's SHA-256, so a copy of the database reveals
no address. Renewing moves that moment, so the old address stops working at once.
"""

import hashlib
import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from leerkring.circles.models import Membership
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.invitations import hash_token
from leerkring.meetings.models import Answer, CalendarFeed, Meeting, Rsvp

#: How far back and ahead the feeds reach, and how many meetings they carry at most.
PAST = timedelta(days=60)
AHEAD = timedelta(days=400)
MAX_EVENTS = 500
#: Choices for the calendar's own reminder (minutes before; 0 = none).
ALARM_CHOICES = (0, 10, 15, 30, 60, 120, 1440)


def token_for(feed: CalendarFeed) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"calendar-feed:{feed.user_id}:{feed.created_at.isoformat()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def feed_of(user) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def ensure_feed(user) -> CalendarFeed:
    """The user's feed, made on first use."""
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, created_at=utcnow(), token_hash="")
        feed.token_hash = hash_token(token_for(feed))
        db.session.add(feed)
        db.session.flush()
    return feed


def renew(feed: CalendarFeed) -> None:
    """A new secret address; the old one stops working."""
    moment = utcnow()
    if moment <= feed.created_at:
        moment = feed.created_at + timedelta(microseconds=1)
    feed.created_at = moment
    feed.token_hash = hash_token(token_for(feed))


def set_alarm(feed: CalendarFeed, minutes: int) -> None:
    feed.alarm_minutes = minutes


def find_feed(token: str) -> CalendarFeed | None:
    return db.session.scalar(
        sa.select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token))
    )


def _window():
    now = utcnow()
    return Meeting.starts_at >= now - PAST, Meeting.starts_at <= now + AHEAD


def personal_meetings(user_id: int) -> list[Meeting]:
    """Meetings of the circles I am a member of, except those I said no to; cancelled ones stay,
    so that calendars remove them."""
    member = sa.exists().where(
        Membership.circle_id == Meeting.circle_id, Membership.user_id == user_id
    )
    said_no = sa.exists().where(
        Rsvp.meeting_id == Meeting.id, Rsvp.user_id == user_id, Rsvp.answer == Answer.NO
    )
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(member, ~said_no, *_window())
            .options(joinedload(Meeting.circle))
            .order_by(Meeting.starts_at)
            .limit(MAX_EVENTS)
        )
    )


def circle_meetings(circle) -> list[Meeting]:
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.circle_id == circle.id, *_window())
            .options(joinedload(Meeting.circle))
            .order_by(Meeting.starts_at)
            .limit(MAX_EVENTS)
        )
    )
