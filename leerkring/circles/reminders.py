"""The circles area's reminders: "join requests are waiting" to a circle's coordinators, and the
weekly digest's "new members in circles I coordinate"."""

from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from leerkring.circles.models import Circle, CircleRole, JoinRequest, Membership, RequestStatus
from leerkring.extensions import db
from leerkring.notifications.registry import (
    DigestItem,
    DigestSection,
    Due,
    Kind,
    Rendered,
    Scope,
    register_digest_section,
    register_kind,
)

#: The day's mail about new requests still makes sense this long after the first of them.
WAITING_VALID_FOR = timedelta(hours=24)


def _request_day(created_at, zone: ZoneInfo) -> str:
    """The local date of a request in the platform's zone: at most one mail a day."""
    return created_at.astimezone(zone).date().isoformat()


def waiting_due(scope: Scope):
    """Each coordinator, once per circle per day with new requests, at the day's first request
    still pending (one query)."""
    statement = (
        sa.select(JoinRequest.circle_id, JoinRequest.created_at, Membership.user_id)
        .join(Membership, Membership.circle_id == JoinRequest.circle_id)
        .where(
            JoinRequest.status == RequestStatus.PENDING,
            JoinRequest.created_at > scope.now - WAITING_VALID_FOR,
            Membership.role == CircleRole.COORDINATOR,
        )
    )
    if scope.subject_ids is not None:
        statement = statement.where(JoinRequest.circle_id.in_(list(scope.subject_ids)))
    else:
        statement = statement.where(JoinRequest.created_at <= scope.until)
    zone = ZoneInfo(current_app.config["LEERKRING_TIMEZONE"])
    first = defaultdict(list)
    for circle_id, created_at, user_id in db.session.execute(statement):
        first[(user_id, circle_id, _request_day(created_at, zone))].append(created_at)
    for (user_id, circle_id, day), moments in first.items():
        due_at = min(moments)
        yield Due(user_id, circle_id, due_at, due_at + WAITING_VALID_FOR, day, circle_id)


def waiting_render(delivery) -> Rendered | None:
    """How many are waiting now; nothing when none is, or the reader no longer coordinates."""
    circle = db.session.get(Circle, delivery.subject_id)
    if circle is None:
        return None
    pending = (
        sa.select(sa.func.count(JoinRequest.id))
        .where(JoinRequest.circle_id == circle.id, JoinRequest.status == RequestStatus.PENDING)
        .scalar_subquery()
    )
    coordinates = (
        sa.select(Membership.id)
        .where(
            Membership.circle_id == circle.id,
            Membership.user_id == delivery.user_id,
            Membership.role == CircleRole.COORDINATOR,
        )
        .exists()
    )
    count, is_coordinator = db.session.execute(sa.select(pending, coordinates)).one()
    if not count or not is_coordinator:
        return None
    return Rendered(
        subject=ngettext(
            "%(num)d request to join %(circle)s is waiting",
            "%(num)d requests to join %(circle)s are waiting",
            count,
            circle=circle.name,
        ),
        template="circles/reminders/join_request_waiting",
        url=url_for("circles.requests", circle_id=circle.id),
        params={"circle": circle.name, "count": count},
        context={"circle": circle, "count": count},
    )


JOIN_REQUEST_WAITING = register_kind(
    Kind(
        name="join_request_waiting",
        subject_type="circle",
        label=_l("Someone asks to join a circle you coordinate"),
        notice=_l("Requests to join %(circle)s are waiting for your decision (%(count)s)."),
        due=waiting_due,
        render=waiting_render,
    )
)


# The weekly digest ----------------------------------------------------------------------------


def new_members(user, since, until) -> DigestSection | None:
    """Per circle I coordinate: how many joined in the past week (names stay in Leerkring)."""
    coordinated = sa.select(Membership.circle_id).where(
        Membership.user_id == user.id, Membership.role == CircleRole.COORDINATOR
    )
    rows = db.session.execute(
        sa.select(Circle.id, Circle.name, sa.func.count(Membership.id))
        .join(Membership, Membership.circle_id == Circle.id)
        .where(
            Circle.id.in_(coordinated),
            Membership.joined_at >= since,
            Membership.joined_at < until,
            Membership.user_id != user.id,
        )
        .group_by(Circle.id, Circle.name)
        .order_by(Circle.name, Circle.id)
    ).all()
    if not rows:
        return None
    return DigestSection(
        _("New members in circles you coordinate"),
        [
            DigestItem(
                ngettext("%(circle)s: %(num)d new member", "%(circle)s: %(num)d new members",
                         count, circle=name),
                url_for("circles.members", circle_id=circle_id),
            )
            for circle_id, name, count in rows
        ],
    )


register_digest_section("circles.new_members", new_members)
