"""Membership rules: places taken atomically, coordinators never vanish, requests and invitations
settled once."""

from datetime import UTC, datetime, timedelta

import pytest

from leerkring.circles import invitations, services
from leerkring.extensions import db
from leerkring.models import Circle, CircleRole, JoinRequest, Notification
from tests import factories as f
from tests.circles.helpers import membership


def test_add_member_takes_a_place_and_refuses_when_full(app):
    circle = f.make_circle(coordinator=f.make_user(), max_members=2)
    f.add_member(circle, f.make_user())
    assert circle.member_count == 2
    with pytest.raises(services.CircleFull):
        services.add_member(circle, f.make_user())
    db.session.rollback()
    assert db.session.get(Circle, circle.id).member_count == 2


def test_taking_the_last_place_is_one_conditional_update(app):
    """A stale ``member_count`` in memory cannot let a second person in: the database decides."""
    circle = f.make_circle(coordinator=f.make_user(), max_members=2)
    db.session.execute(db.update(Circle).where(Circle.id == circle.id).values(member_count=2))
    with pytest.raises(services.CircleFull):
        services.add_member(circle, f.make_user())


def test_joining_settles_a_pending_request(app):
    circle = f.make_circle(coordinator=f.make_user())
    user = f.make_user()
    join_request = f.make_join_request(circle, user)
    f.add_member(circle, user)
    db.session.refresh(join_request)
    assert join_request.status == "approved"


def test_the_last_coordinator_cannot_leave_while_others_remain(app):
    coordinator = f.make_user()
    circle = f.make_circle(coordinator=coordinator, members=[f.make_user()])
    with pytest.raises(services.LastCoordinator):
        services.leave(membership(circle, coordinator))


def test_the_last_coordinator_may_leave_an_otherwise_empty_circle(app):
    coordinator = f.make_user()
    circle = f.make_circle(coordinator=coordinator)
    services.leave(membership(circle, coordinator))
    db.session.commit()
    assert db.session.get(Circle, circle.id).member_count == 0


def test_step_down_needs_another_coordinator(app):
    first, second = f.make_user(), f.make_user()
    circle = f.make_circle(coordinator=first)
    with pytest.raises(services.LastCoordinator):
        services.step_down(membership(circle, first))
    f.add_member(circle, second, role=CircleRole.COORDINATOR)
    services.step_down(membership(circle, first))
    db.session.commit()
    assert membership(circle, first).role == CircleRole.MEMBER


def test_a_request_is_decided_once(app):
    coordinator, requester = f.make_user(), f.make_user()
    circle = f.make_circle(coordinator=coordinator, join_mode="request")
    join_request = f.make_join_request(circle, requester)
    services.decline_request(join_request, coordinator)
    with pytest.raises(services.AlreadyDecided):
        services.approve_request(join_request, coordinator)


def test_a_second_request_updates_the_pending_one(app):
    circle = f.make_circle(coordinator=f.make_user(), join_mode="request")
    user = f.make_user()
    services.request_to_join(circle, user, "Eerste")
    services.request_to_join(circle, user, "Tweede")
    db.session.commit()
    requests = db.session.execute(db.select(JoinRequest).filter_by(user_id=user.id)).scalars()
    assert [r.message for r in requests] == ["Tweede"]


def test_notify_refuses_an_unknown_kind(app):
    from leerkring.notifications.services import notify

    with pytest.raises(KeyError):
        notify(f.make_user(), "no_such_kind", "/")
    assert db.session.execute(db.select(Notification)).first() is None


def test_an_invitation_is_used_once_and_not_after_it_expires(app):
    circle = f.make_circle(coordinator=f.make_user(), join_mode="invitation")
    invitation, _token = f.make_invitation(circle, "gast@example.org")
    invitations.accept_invitation(invitation, f.make_user())
    db.session.commit()
    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept_invitation(invitation, f.make_user())

    expired, _token = f.make_invitation(
        circle, "laat@example.org", expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept_invitation(expired, f.make_user())
