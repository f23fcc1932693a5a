"""Join requests waiting: the circle's coordinators hear of new requests at once, at most once a
day per circle, with the number still waiting when the mail goes out."""

from datetime import UTC, datetime, timedelta

import pytest

from leerkring import scheduler
from leerkring.circles import reminders, services
from leerkring.circles.models import CircleRole, JoinRequest
from leerkring.extensions import db
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from leerkring.notifications.registry import Scope
from tests import factories as f

#: Tuesday 1 December 2026, 10:00 in Amsterdam.
MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SUBJECT = "to join Armoede Twente"


@pytest.fixture
def setting(app):
    carla = f.make_user(name="Carla", locale="en")
    cor = f.make_user(name="Cor", locale="en")
    member = f.make_user(name="Mila", locale="en")
    circle = f.make_circle(carla, members=[member], name="Armoede Twente", join_mode="request")
    f.add_member(circle, cor, role=CircleRole.COORDINATOR)
    other = f.make_user(locale="en")
    f.make_circle(other, join_mode="request")
    return dict(circle=circle, carla=carla, cor=cor, member=member, other=other)


def request_at(circle, at) -> JoinRequest:
    return f.make_join_request(circle, f.make_user(), created_at=at)


def tick(app, now):
    with scheduler.job_context(app):
        return scheduler.tick(now)


def received(mailbox, user):
    return [m for m in mailbox.to(user.email) if SUBJECT in m["Subject"]]


def test_two_requests_the_same_day_make_one_mail_and_the_next_day_another(
    app, setting, mailbox
):
    circle, carla = setting["circle"], setting["carla"]
    request_at(circle, MORNING)
    tick(app, MORNING + timedelta(minutes=1))
    first = received(mailbox, carla)
    assert [m["Subject"] for m in first] == ["1 request to join Armoede Twente is waiting"]
    text = mailbox.text(first[0])
    assert "1 request to join Armoede Twente is waiting for a coordinator's decision." in text
    assert f"http://leerkring.test/circles/{circle.id}/requests" in text

    request_at(circle, MORNING + timedelta(hours=5))
    tick(app, MORNING + timedelta(hours=5, minutes=1))
    assert len(received(mailbox, carla)) == 1

    request_at(circle, MORNING + timedelta(days=1))
    tick(app, MORNING + timedelta(days=1, minutes=1))
    subjects = [m["Subject"] for m in received(mailbox, carla)]
    assert subjects == [
        "1 request to join Armoede Twente is waiting",
        "3 requests to join Armoede Twente are waiting",
    ]
    assert len(received(mailbox, setting["cor"])) == 2


def test_only_the_circles_coordinators(app, setting, mailbox):
    request_at(setting["circle"], MORNING)
    tick(app, MORNING + timedelta(minutes=1))
    assert len(received(mailbox, setting["carla"])) == len(received(mailbox, setting["cor"])) == 1
    assert mailbox.to(setting["member"].email) == []
    assert mailbox.to(setting["other"].email) == []
    notices = db.session.execute(
        db.select(Notification).filter_by(kind="join_request_waiting")
    ).scalars().all()
    assert {n.user_id for n in notices} == {setting["carla"].id, setting["cor"].id}
    assert {n.url for n in notices} == {f"/circles/{setting['circle'].id}/requests"}


def test_one_day_is_the_day_in_the_platforms_zone(app, setting):
    # 23:30 UTC on 1 December is already 2 December in Amsterdam.
    request_at(setting["circle"], datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    request_at(setting["circle"], datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    now = datetime(2026, 12, 2, 8, 1, tzinfo=UTC)
    due = list(reminders.waiting_due(Scope(now, None, [setting["circle"].id])))
    assert {(d.occurrence_key, d.due_at) for d in due} == {
        ("2026-12-02", datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    }


def test_asking_through_the_page_plans_it_at_once(app, client, login, setting):
    requester = f.make_user()
    login(requester)
    client.post(f"/circles/{setting['circle'].id}/request", data={"message": ""})
    join_request = db.session.execute(db.select(JoinRequest)).scalar_one()
    rows = db.session.execute(
        db.select(Delivery).filter_by(kind="join_request_waiting", channel=Channel.EMAIL)
    ).scalars().all()
    assert {row.user_id for row in rows} == {setting["carla"].id, setting["cor"].id}
    assert {row.due_at for row in rows} == {join_request.created_at}


def test_nothing_when_the_request_was_decided_before_the_mail_went(app, setting, mailbox):
    join_request = request_at(setting["circle"], MORNING)
    tick(app, MORNING - timedelta(minutes=5))  # planned, not yet due
    services.approve_request(join_request, setting["carla"])
    db.session.commit()
    tick(app, MORNING + timedelta(minutes=1))
    assert received(mailbox, setting["carla"]) == []
    statuses = db.session.execute(
        db.select(Delivery.status).filter_by(kind="join_request_waiting")
    ).scalars().all()
    assert statuses and set(statuses) == {DeliveryStatus.CANCELLED}


def test_a_day_old_request_is_not_announced_late(app, setting, mailbox):
    request_at(setting["circle"], MORNING)
    tick(app, MORNING + timedelta(days=1, minutes=1))
    assert received(mailbox, setting["carla"]) == []


def test_due_runs_a_fixed_number_of_queries(app, setting, count_queries):
    def count():
        with count_queries() as counter:
            found = list(reminders.waiting_due(Scope(MORNING + timedelta(hours=1),
                                                     MORNING + timedelta(hours=25))))
        return counter.count, len(found)

    request_at(setting["circle"], MORNING)
    small = count()
    for n in range(4):
        circle = f.make_circle(f.make_user(), join_mode="request")
        for hour in range(3):
            request_at(circle, MORNING + timedelta(minutes=10 * n + hour))
    large = count()
    assert small[0] == large[0] == 1
    assert (small[1], large[1]) == (2, 2 + 4)
