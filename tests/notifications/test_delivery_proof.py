"""Delivering: every reminder arrives exactly once, whatever happens to the workers or the mail
server. The mail is received by a real SMTP server (the ``mailbox`` fixture)."""

import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier, Event

import pytest

from leerkring import scheduler
from leerkring.extensions import db
from leerkring.models import Notification
from leerkring.notifications import outbox
from leerkring.notifications.models import Channel, DeliveryStatus
from tests.conftest import free_port
from tests.notifications.outbox_kind import T0, deliver, deliveries, make_users, plan

MINUTE = timedelta(minutes=1)


def lease(app):
    return timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"])


def notifications():
    return list(db.session.execute(db.select(Notification)).scalars())


def only_postgresql():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's: SQLite has one writer at a time "
                    "(two workers on SQLite: test_two_workers_on_both_channels_…)")


def run_workers(app, now, names):
    """Each worker in its own thread, app context and session, calling ``deliver`` until a pass
    sends nothing; returns the ids each one sent."""
    start = Barrier(len(names))

    def work(name):
        with scheduler.job_context(app):
            start.wait()
            sent = []
            while batch := [delivery.id for delivery in outbox.deliver(now, name).sent]:
                sent += batch
            return sent

    db.session.commit()
    with ThreadPoolExecutor(len(names)) as pool:
        return dict(zip(names, pool.map(work, names), strict=True))


# Two workers at once --------------------------------------------------------------------------


def test_two_workers_at_once_send_each_of_500_reminders_exactly_once(app, reminders, mailbox):
    only_postgresql()
    app.config["OUTBOX_BATCH"] = 20  # small batches, so the workers take turns many times
    for user in make_users(100):
        for week in range(5):
            reminders.want(user, T0, occurrence_key=f"week {week}")
    plan(app, T0)

    sent = run_workers(app, T0, ["worker-a", "worker-b"])

    assert all(sent.values()), "both workers took part"
    assert not set(sent["worker-a"]) & set(sent["worker-b"])
    ids = [message["Message-ID"] for message in mailbox.messages]
    assert len(ids) == len(set(ids)) == 500
    rows = deliveries()
    assert Counter((row.status, row.attempts) for row in rows) == {(DeliveryStatus.SENT, 1): 500}
    assert {row.id: row.claimed_by for row in rows} == {
        delivery_id: worker for worker, ids in sent.items() for delivery_id in ids}
    assert sorted(ids) == sorted(row.message_id for row in rows)


def test_two_workers_on_both_channels_write_one_notice_and_one_mail_each(
    app, outbox_kind, mailbox
):
    """On SQLite the claims take turns (one writer); on PostgreSQL they skip each other's rows."""
    app.config["OUTBOX_BATCH"] = 10
    reminders = outbox_kind(channels=(Channel.EMAIL, Channel.INAPP))
    users = make_users(60)
    for user in users:
        reminders.want(user, T0)
    plan(app, T0)

    sent = run_workers(app, T0, ["worker-a", "worker-b"])

    assert sum(len(ids) for ids in sent.values()) == 120
    assert sorted(m["To"] for m in mailbox.messages) == sorted(user.email for user in users)
    assert sorted(notice.user_id for notice in notifications()) == sorted(u.id for u in users)
    assert {row.status for row in deliveries()} == {DeliveryStatus.SENT}


# A worker that dies or stalls -----------------------------------------------------------------


def test_a_worker_killed_after_claiming_is_replaced_once_its_lease_runs_out(
    app, reminders, mailbox
):
    user = make_users(1)[0]
    reminders.want(user, T0)
    plan(app, T0)
    with scheduler.job_context(app):
        claimed = outbox.claim(T0, "killed-worker", 10)
        db.session.commit()  # … and the worker dies before it sends anything
    (row,) = deliveries()
    assert claimed == [row.id]
    assert (row.status, row.claimed_by, row.lease_until, row.attempts) == (
        DeliveryStatus.SENDING, "killed-worker", T0 + lease(app), 1)

    for moment in (T0, T0 + MINUTE, T0 + lease(app) - timedelta(seconds=1)):
        assert deliver(app, moment).sent == []
    assert mailbox.messages == []

    assert len(deliver(app, T0 + lease(app)).sent) == 1
    assert deliver(app, T0 + lease(app) + MINUTE).sent == []
    assert [m["To"] for m in mailbox.messages] == [user.email]
    (row,) = deliveries()
    assert (row.status, row.claimed_by, row.attempts) == (DeliveryStatus.SENT, "worker-1", 2)


def stall(reminders, worker):
    """Make ``worker`` stop inside ``render`` until released; returns (stalled, release)."""
    stalled, release = Event(), Event()

    def before_render(delivery):
        if delivery.claimed_by == worker:
            stalled.set()
            assert release.wait(30)

    reminders.before_render = before_render
    return stalled, release


def overrun_lease(app, reminders):
    """Worker "slow" claims the reminder and stalls past its lease; "fast" takes it over and
    delivers it; then "slow" wakes up and finishes. Returns both workers' reports."""
    stalled, release = stall(reminders, "slow")
    db.session.commit()
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(deliver, app, T0, "slow")
        assert stalled.wait(30)
        fast = deliver(app, T0 + lease(app), "fast")
        release.set()
        return slow.result(), fast


def test_an_in_app_notice_is_written_once_when_two_workers_deliver_it_at_once(
    app, outbox_kind
):
    reminders = outbox_kind(channels=(Channel.INAPP,))
    user = make_users(1)[0]
    reminders.want(user, T0)
    plan(app, T0)

    slow, fast = overrun_lease(app, reminders)

    assert (len(slow.sent), len(fast.sent)) == (0, 1)
    assert [notice.user_id for notice in notifications()] == [user.id]
    (row,) = deliveries()
    assert (row.status, row.claimed_by, row.attempts) == (DeliveryStatus.SENT, "fast", 2)


def test_a_mail_sent_by_a_worker_that_lost_its_lease_carries_the_same_message_id(
    app, reminders, mailbox
):
    """The one duplicate the design allows (a worker outliving its lease) is recognisable."""
    user = make_users(1)[0]
    reminders.want(user, T0)
    plan(app, T0)

    slow, fast = overrun_lease(app, reminders)

    assert (len(slow.sent), len(fast.sent)) == (0, 1)
    (row,) = deliveries()
    assert (row.status, row.claimed_by) == (DeliveryStatus.SENT, "fast")
    assert [m["Message-ID"] for m in mailbox.messages] == [row.message_id] * 2


# The mail server is down ----------------------------------------------------------------------


@pytest.fixture
def smtp_down(app):
    """Point the app at a port nobody listens on; ``smtp_down.restore()`` brings it back."""
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()

    class Switch:
        @staticmethod
        def restore():
            app.config["SMTP_PORT"] = port

    return Switch


def test_smtp_down_retries_with_backoff_and_every_reminder_arrives_once(
    app, reminders, mailbox, smtp_down, caplog
):
    users = make_users(3)
    for user in users:
        reminders.want(user, T0)
    plan(app, T0)

    with caplog.at_level(logging.WARNING):
        assert deliver(app, T0).retrying == 3
    rows = deliveries()
    assert {(r.status, r.attempts, r.lease_until) for r in rows} == {
        (DeliveryStatus.PENDING, 1, T0 + MINUTE)}
    for row in rows:
        assert row.last_error.startswith("ConnectionRefusedError: ")
        assert row.user.email not in row.last_error and "reminder" not in row.last_error.lower()
    assert all(user.email not in caplog.text for user in users)
    assert "Your reminder" not in caplog.text

    assert deliver(app, T0 + timedelta(seconds=59)).retrying == 0  # not before the backoff
    assert {r.attempts for r in deliveries()} == {1}
    assert deliver(app, T0 + MINUTE).retrying == 3
    assert {(r.attempts, r.lease_until) for r in deliveries()} == {(2, T0 + 6 * MINUTE)}

    smtp_down.restore()
    assert deliver(app, T0 + 5 * MINUTE).sent == []
    assert len(deliver(app, T0 + 6 * MINUTE).sent) == 3
    assert deliver(app, T0 + 7 * MINUTE).sent == []
    assert sorted(m["To"] for m in mailbox.messages) == sorted(user.email for user in users)
    assert {(r.status, r.attempts, r.last_error) for r in deliveries()} == {
        (DeliveryStatus.SENT, 3, "")}


def test_after_the_last_attempt_a_reminder_is_failed_until_an_admin_retries_it(
    app, reminders, mailbox, smtp_down
):
    user = make_users(1)[0]
    reminders.want(user, T0, expires_at=T0 + timedelta(days=1))
    plan(app, T0)
    waits = [1, 5, 15, 60, 240]  # the default backoff, in minutes
    assert app.config["OUTBOX_MAX_ATTEMPTS"] == len(waits) + 1

    moment = T0
    for attempt, wait in enumerate(waits, start=1):
        assert deliver(app, moment).retrying == 1
        (row,) = deliveries()
        assert (row.status, row.attempts, row.lease_until) == (
            DeliveryStatus.PENDING, attempt, moment + wait * MINUTE)
        assert deliver(app, moment + (wait - 1) * MINUTE).retrying == 0
        moment += wait * MINUTE
    assert deliver(app, moment).failed == 1
    (row,) = deliveries()
    assert (row.status, row.attempts, row.lease_until) == (DeliveryStatus.FAILED, 6, None)

    smtp_down.restore()
    assert deliver(app, moment + 10 * MINUTE).sent == []
    assert mailbox.messages == []
    outbox.retry(row, now=moment + 20 * MINUTE)
    db.session.commit()
    assert len(deliver(app, moment + 20 * MINUTE).sent) == 1
    assert [m["To"] for m in mailbox.messages] == [user.email]


def test_a_reminder_that_expires_while_smtp_is_down_is_never_sent(
    app, reminders, mailbox, smtp_down
):
    user = make_users(1)[0]
    reminders.want(user, T0, expires_at=T0 + 30 * MINUTE)
    plan(app, T0)
    for minutes in (0, 1, 6, 21):
        assert deliver(app, T0 + minutes * MINUTE).retrying == 1
    smtp_down.restore()
    assert deliver(app, T0 + 36 * MINUTE).expired == 1
    (row,) = deliveries()
    assert (row.status, row.attempts) == (DeliveryStatus.EXPIRED, 4)
    assert mailbox.messages == []
