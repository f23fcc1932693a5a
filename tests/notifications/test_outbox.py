"""Planning: the outbox holds exactly one row per reminder, follows what the kinds want, and never
sends anything twice however often it plans or ticks."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

from leerkring.extensions import db
from leerkring.models import Notification
from leerkring.notifications.models import Channel, DeliveryStatus
from tests.notifications.outbox_kind import (
    KIND,
    T0,
    deliveries,
    make_users,
    plan,
    replan,
    tick,
)

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def received_ids(mailbox):
    return [message["Message-ID"] for message in mailbox.messages]


def test_planning_twice_makes_each_reminder_once(app, reminders):
    users = make_users(3)
    for user in users:
        reminders.want(user, T0 + HOUR)
        reminders.want(user, T0 + 2 * HOUR, occurrence_key="second")

    assert plan(app, T0) == {KIND: 6}
    assert plan(app, T0) == {}
    replan([user.id for user in users])
    rows = deliveries()
    assert len(rows) == 6
    assert {(row.user_id, row.occurrence_key) for row in rows} == {
        (user.id, key) for user in users for key in ("", "second")}
    assert {(row.status, row.channel, row.attempts) for row in rows} == {
        (DeliveryStatus.PENDING, Channel.EMAIL, 0)}


def test_ticking_twice_at_the_same_moment_sends_nothing_twice(app, reminders, mailbox):
    users = make_users(3)
    for user in users:
        reminders.want(user, T0)

    planned, report = tick(app, T0)
    assert planned == {KIND: 3} and len(report.sent) == 3
    planned, report = tick(app, T0)
    assert planned == {} and report.sent == []
    tick(app, T0 + timedelta(minutes=1))

    assert sorted(m["To"] for m in mailbox.messages) == sorted(user.email for user in users)
    rows = deliveries()
    assert {(row.status, row.sent_at, row.attempts) for row in rows} == {
        (DeliveryStatus.SENT, T0, 1)}
    assert sorted(received_ids(mailbox)) == sorted(row.message_id for row in rows)


def test_only_what_is_due_is_sent_and_only_the_horizon_is_planned(app, reminders, mailbox):
    soon, later, far = make_users(3)
    reminders.want(soon, T0)
    reminders.want(later, T0 + 2 * HOUR)
    reminders.want(far, T0 + 30 * HOUR)  # beyond the 24 hours the scheduler plans ahead

    tick(app, T0)
    assert [row.user_id for row in deliveries()] == [soon.id, later.id]
    assert [m["To"] for m in mailbox.messages] == [soon.email]

    tick(app, T0 + 2 * HOUR)
    assert [m["To"] for m in mailbox.messages] == [soon.email, later.email]
    tick(app, T0 + 30 * HOUR)
    assert [m["To"] for m in mailbox.messages] == [soon.email, later.email, far.email]


def test_replanning_moves_cancels_and_revives_pending_rows(app, reminders, mailbox):
    user, other = make_users(2)
    reminders.want(user, T0 + 5 * HOUR)
    reminders.want(other, T0 + 5 * HOUR)
    replan([user.id, other.id])
    first = deliveries()

    reminders.want(user, T0 + 6 * HOUR, expires_at=T0 + 20 * HOUR)  # moved
    reminders.unwant(other)  # no longer wanted
    replan([user.id, other.id])
    moved, cancelled = deliveries()
    assert [row.id for row in (moved, cancelled)] == [row.id for row in first]
    assert (moved.status, moved.due_at, moved.expires_at) == (
        DeliveryStatus.PENDING, T0 + 6 * HOUR, T0 + 20 * HOUR)
    assert cancelled.status == DeliveryStatus.CANCELLED

    tick(app, T0 + 5 * HOUR)
    assert mailbox.messages == []

    reminders.want(other, T0 + 7 * HOUR)  # wanted again
    replan([other.id])
    revived = deliveries(user_id=other.id)
    assert [(row.id, row.status, row.due_at) for row in revived] == [
        (cancelled.id, DeliveryStatus.PENDING, T0 + 7 * HOUR)]

    tick(app, T0 + 7 * HOUR)
    assert sorted(m["To"] for m in mailbox.messages) == sorted([user.email, other.email])


def test_replanning_never_touches_a_sent_reminder(app, reminders, mailbox):
    user = make_users(1)[0]
    reminders.want(user, T0)
    tick(app, T0)
    sent = deliveries()[0]

    reminders.want(user, T0 + 3 * HOUR)
    replan([user.id], now=T0 + HOUR)
    assert plan(app, T0 + HOUR) == {}
    reminders.unwant(user)
    replan([user.id], now=T0 + HOUR)

    (row,) = deliveries()
    assert (row.id, row.status, row.due_at, row.sent_at) == (
        sent.id, DeliveryStatus.SENT, T0, T0)
    tick(app, T0 + 3 * HOUR)
    assert len(mailbox.messages) == 1


def test_the_scheduler_pass_cancels_only_within_its_horizon(app, reminders):
    near, far = make_users(2)
    reminders.want(near, T0 + 2 * HOUR)
    reminders.want(far, T0 + 48 * HOUR)
    replan([near.id, far.id])  # a service plans everything still to come
    reminders.unwant(near)
    reminders.unwant(far)

    plan(app, T0)
    assert [row.status for row in deliveries()] == [
        DeliveryStatus.CANCELLED, DeliveryStatus.PENDING]
    plan(app, T0 + 30 * HOUR)
    assert [row.status for row in deliveries()] == [DeliveryStatus.CANCELLED] * 2


def test_replanning_only_the_named_kinds(app, outbox_kind):
    from leerkring.notifications import outbox

    reminders = outbox_kind()
    user = make_users(1)[0]
    reminders.want(user, T0 + HOUR)
    outbox.replan("user", user.id, now=T0, kinds={"another_kind"})
    outbox.replan("meeting", user.id, now=T0)
    outbox.replan("user", [], now=T0)
    assert deliveries() == []
    outbox.replan("user", user.id, now=T0, kinds={KIND})
    db.session.commit()
    assert len(deliveries()) == 1


def test_a_reminder_with_nothing_to_say_is_cancelled_and_never_sent(app, reminders, mailbox):
    quiet, talking = make_users(2)
    reminders.want(quiet, T0)
    reminders.want(talking, T0)
    reminders.silent.add(quiet.id)

    _, report = tick(app, T0)
    assert (len(report.sent), report.cancelled) == (1, 1)
    assert {row.user_id: row.status for row in deliveries()} == {
        quiet.id: DeliveryStatus.CANCELLED, talking.id: DeliveryStatus.SENT}
    for minutes in (5, 10, 15):  # still wanted, but not planned, nor asked, again
        assert tick(app, T0 + timedelta(minutes=minutes))[0] == {}
    quiet_row = deliveries(user_id=quiet.id)[0]
    assert reminders.rendered.count(quiet_row.id) == 1
    assert (quiet_row.attempts, quiet_row.sent_at) == (1, T0)
    assert [m["To"] for m in mailbox.messages] == [talking.email]

    reminders.want(quiet, T0 + HOUR)  # moved: the kind is asked again when it is due
    reminders.silent.clear()
    assert tick(app, T0 + 20 * MINUTE)[0] == {KIND: 1}
    tick(app, T0 + HOUR)
    assert [m["To"] for m in mailbox.messages] == [talking.email, quiet.email]


def test_a_reminder_cancelled_by_a_planner_is_revived_even_unmoved(app, reminders, mailbox):
    user = make_users(1)[0]
    reminders.want(user, T0 + HOUR)
    replan([user.id])
    reminders.unwant(user)
    replan([user.id])
    reminders.want(user, T0 + HOUR)
    assert plan(app, T0) == {KIND: 1}
    tick(app, T0 + HOUR)
    assert [m["To"] for m in mailbox.messages] == [user.email]


def test_both_channels_by_default_each_once(app, outbox_kind, mailbox):
    reminders = outbox_kind(channels=(Channel.EMAIL, Channel.INAPP))
    user = make_users(1)[0]
    reminders.want(user, T0)
    tick(app, T0)
    tick(app, T0)
    assert sorted(row.channel for row in deliveries(status=DeliveryStatus.SENT)) == [
        Channel.EMAIL, Channel.INAPP]
    assert [m["To"] for m in mailbox.messages] == [user.email]
    (notice,) = db.session.execute(db.select(Notification)).scalars()
    assert (notice.user_id, notice.kind, notice.url, notice.params) == (
        user.id, KIND, "/notifications/", {"line": f"Reminder once for user {user.id}"})


# Expired --------------------------------------------------------------------------------------


def test_a_scheduler_down_for_two_days_does_not_send_a_planned_reminder_late(
    app, reminders, mailbox
):
    user = make_users(1)[0]
    reminders.want(user, T0 + HOUR, expires_at=T0 + 11 * HOUR)  # "the meeting tonight"
    plan(app, T0)

    planned, report = tick(app, T0 + timedelta(days=2))
    assert (planned, report.sent, report.expired) == ({}, [], 1)
    (row,) = deliveries()
    assert (row.status, row.attempts, row.sent_at) == (DeliveryStatus.EXPIRED, 0, None)
    tick(app, T0 + timedelta(days=2, minutes=1))
    assert mailbox.messages == []


def test_a_scheduler_down_for_two_days_does_not_plan_what_has_expired(app, reminders, mailbox):
    user = make_users(1)[0]
    reminders.want(user, T0 + HOUR, expires_at=T0 + 11 * HOUR)
    planned, report = tick(app, T0 + timedelta(days=2))
    assert (planned, report.sent) == ({}, [])
    assert deliveries() == []
    assert mailbox.messages == []


def test_two_planners_at_once_make_each_row_once(app, reminders):
    """PostgreSQL runs both inserts at the same time (ON CONFLICT DO NOTHING decides); SQLite
    takes them one after the other."""
    users = make_users(30)
    for user in users:
        for key in ("a", "b"):
            reminders.want(user, T0 + HOUR, occurrence_key=key)
    start = Barrier(2)

    def planner(_):
        start.wait()
        return plan(app, T0)

    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(planner, range(2)))
    assert sum(count[KIND] for count in counts) == 60
    rows = deliveries()
    assert len(rows) == len({(r.user_id, r.occurrence_key, r.channel) for r in rows}) == 60
