"""The weekly digest: on Monday at 08:00 in the reader's own zone, one mail with what matters
this week. Areas add their sections through ``registry.register_digest_section``; when every
section is empty nothing is sent.

Whether a user gets it is their own setting (``NotificationSettings.digest``, default
``DIGEST_DEFAULT``), not a per-kind choice.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from leerkring.accounts.models import User
from leerkring.extensions import db
from leerkring.notifications import preferences
from leerkring.notifications.models import Channel, Digest
from leerkring.notifications.registry import (
    DIGEST_SECTIONS,
    Due,
    Kind,
    Rendered,
    Scope,
    register_kind,
)

WEEKDAY = 0  # Monday
LOCAL_TIME = time(8, 0)
#: A digest that could not go out within this long is skipped; next week brings a new one.
VALID_FOR = timedelta(hours=24)
#: The week it looks back on, and ahead to.
WEEK = timedelta(days=7)
#: Local time is at most 12 hours behind UTC and at most 14 hours ahead.
WESTMOST, EASTMOST = timedelta(hours=-12), timedelta(hours=14)


def week_key(day: date) -> str:
    """The ISO week, e.g. "2026-W49": one digest per user per week, however often it is planned."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or current_app.config["LEERKRING_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(current_app.config["LEERKRING_TIMEZONE"])


def moment(monday: date, zone: ZoneInfo) -> datetime:
    """Monday 08:00 in ``zone``, in UTC."""
    return datetime.combine(monday, LOCAL_TIME, tzinfo=zone).astimezone(UTC)


def _mondays_around(now: datetime, zone: ZoneInfo) -> list[date]:
    """This week's Monday in ``zone`` and the next one."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday() - WEEKDAY)
    return [monday, monday + WEEK]


def _could_be_due(scope: Scope) -> bool:
    """Whether Monday 08:00 anywhere on earth falls in the planning window; most of the week it
    does not, and the pass needs no query at all."""
    if scope.until is None:
        return True
    day, last = (scope.now - timedelta(days=2)).date(), (scope.until + timedelta(days=1)).date()
    while day <= last:
        if day.weekday() == WEEKDAY:
            at_utc = datetime.combine(day, LOCAL_TIME, tzinfo=UTC)
            first_due, last_due = at_utc - EASTMOST, at_utc - WESTMOST
            if first_due <= scope.until and last_due + VALID_FOR > scope.now:
                return True
        day += timedelta(days=1)
    return False


def due(scope: Scope):
    """One digest per subscriber per ISO week (one query, none on most passes)."""
    if not _could_be_due(scope):
        return
    statement = sa.select(User.id, User.timezone).where(
        User.id.in_(preferences.digest_subscribers())
    )
    if scope.subject_ids is not None:
        statement = statement.where(User.id.in_(list(scope.subject_ids)))
    for user_id, timezone in db.session.execute(statement):
        zone = _zone(timezone)
        for monday in _mondays_around(scope.now, zone):
            due_at = moment(monday, zone)
            yield Due(user_id, user_id, due_at, due_at + VALID_FOR, week_key(monday))


def subscribes(user) -> bool:
    chosen = preferences.settings(user).digest
    return (chosen or Digest(current_app.config["DIGEST_DEFAULT"])) == Digest.WEEKLY


def sections(user, since: datetime, until: datetime) -> list:
    """Every registered section with something in it, in the order they were registered."""
    found = (section(user, since, until) for section in DIGEST_SECTIONS.values())
    return [section for section in found if section is not None and section.items]


def render(delivery) -> Rendered | None:
    user = delivery.user
    if not subscribes(user):
        return None
    until = delivery.due_at
    found = sections(user, until - WEEK, until)
    if not found:
        return None
    return Rendered(
        subject=_("Your week in Leerkring"),
        template="notifications/mail/digest",
        url=url_for("home.index"),
        context={
            "sections": found,
            "base_url": request.url_root.rstrip("/"),
            "until": until,
        },
    )


DIGEST = register_kind(
    Kind(
        name="digest",
        subject_type="user",
        label=_l("Weekly digest"),
        notice=_l("Your weekly overview is ready."),
        due=due,
        render=render,
        channels=(Channel.EMAIL,),
        is_optional=False,
    )
)
