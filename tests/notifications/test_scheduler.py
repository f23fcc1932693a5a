"""The scheduler: its two jobs, where it runs (embedded in the development server, never in gunicorn
workers, ``flask scheduler run`` in production) and the ``flask scheduler tick`` command."""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.interval import IntervalTrigger

from leerkring import config, create_app, scheduler
from leerkring.notifications.models import DeliveryStatus
from tests.conftest import free_port
from tests.notifications.outbox_kind import T0, deliveries, make_users

ROOT = Path(__file__).resolve().parents[2]


def jobs_of(running):
    return {job.id: job for job in running.get_jobs()}


def test_two_jobs_with_fixed_ids_one_instance_each_in_memory_in_utc(app):
    running = scheduler.build(app)
    running.start(paused=True)
    try:
        jobs = jobs_of(running)
        assert set(jobs) == {scheduler.PLAN_JOB, scheduler.DELIVER_JOB}
        assert {(job.max_instances, job.coalesce) for job in jobs.values()} == {(1, True)}
        assert {job.id: job.trigger.interval for job in jobs.values()} == {
            scheduler.PLAN_JOB: timedelta(seconds=app.config["SCHEDULER_PLAN_SECONDS"]),
            scheduler.DELIVER_JOB: timedelta(seconds=app.config["SCHEDULER_DELIVER_SECONDS"]),
        }
        assert all(isinstance(job.trigger, IntervalTrigger) for job in jobs.values())
        assert running.timezone.utcoffset(None) == timedelta(0)
        assert all(job.next_run_time.utcoffset() == timedelta(0) for job in jobs.values())
        # The first delivery pass comes after the first plan, so what it found goes out at once.
        assert jobs[scheduler.DELIVER_JOB].next_run_time > jobs[scheduler.PLAN_JOB].next_run_time
        assert isinstance(running._lookup_jobstore("default"), MemoryJobStore)
    finally:
        running.shutdown(wait=True)


def test_the_jobs_plan_and_deliver_in_the_app_and_survive_a_failure(
    app, reminders, mailbox, caplog
):
    user = make_users(1)[0]
    reminders.want(user, datetime.now(UTC) - timedelta(minutes=1))
    jobs = jobs_of(scheduler.build(app))

    jobs[scheduler.PLAN_JOB].func()
    jobs[scheduler.DELIVER_JOB].func()
    assert [m["To"] for m in mailbox.messages] == [user.email]
    assert mailbox.messages[0]["List-Unsubscribe"].startswith("<http://leerkring.test/")

    reminders.is_broken = True
    with caplog.at_level(logging.ERROR):
        jobs[scheduler.PLAN_JOB].func()  # logged, not raised: the next run tries again
    assert "Scheduler job plan failed" in caplog.text


# Where a scheduler runs -----------------------------------------------------------------------


@pytest.fixture
def exit_hooks(monkeypatch):
    hooks = []
    monkeypatch.setattr(scheduler.atexit, "register", hooks.append)
    return hooks


def test_not_in_the_reloaders_watcher_process(app, outbox_kind, monkeypatch, exit_hooks):
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    app.debug = True
    assert scheduler.embed(app) is None
    assert exit_hooks == []


@pytest.mark.parametrize(("debug", "run_main"), [(True, "true"), (False, None)])
def test_embedded_in_the_serving_process(app, outbox_kind, monkeypatch, exit_hooks, debug,
                                         run_main):
    if run_main:
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", run_main)
    else:
        monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    app.debug = debug
    running = scheduler.embed(app)
    try:
        assert running.running
        assert set(jobs_of(running)) == {scheduler.PLAN_JOB, scheduler.DELIVER_JOB}
        assert len(exit_hooks) == 1  # shut down when the server stops
    finally:
        running.shutdown(wait=True)


def test_an_embedded_scheduler_sends_what_is_due(app, reminders, mailbox, monkeypatch,
                                                 exit_hooks):
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    app.debug = True
    app.config["SCHEDULER_DELIVER_SECONDS"] = 1
    user = make_users(1)[0]
    reminders.want(user, datetime.now(UTC) - timedelta(minutes=1))
    running = scheduler.embed(app)
    try:
        deadline = time.monotonic() + 20
        while not mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        running.shutdown(wait=True)
    assert [m["To"] for m in mailbox.messages] == [user.email]
    assert [row.status for row in deliveries()] == [DeliveryStatus.SENT]


def test_create_app_embeds_only_when_configured(app, monkeypatch):
    embedded = []
    monkeypatch.setattr(scheduler, "embed", embedded.append)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    create_app({"TESTING": True, "DATABASE_URL": url, "LEERKRING_SCHEDULER": "off"})
    assert embedded == []
    made = create_app({"TESTING": True, "DATABASE_URL": url, "LEERKRING_SCHEDULER": "embedded"})
    assert embedded == [made]


@pytest.mark.parametrize(("environment", "setting"), [
    ({}, "off"),
    ({"LEERKRING_SCHEDULER": "embedded"}, "embedded"),
    ({"LEERKRING_SCHEDULER": "embedded", "SERVER_SOFTWARE": "gunicorn/23.0.0"}, "off"),
    ({"SERVER_SOFTWARE": "gunicorn/23.0.0"}, "off"),
])
def test_gunicorn_workers_never_run_a_scheduler(monkeypatch, environment, setting):
    for name in ("LEERKRING_SCHEDULER", "SERVER_SOFTWARE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert config.from_environment()["LEERKRING_SCHEDULER"] == setting


def test_gunicorn_announces_itself_in_server_software():
    from gunicorn import SERVER_SOFTWARE, arbiter

    assert "gunicorn" in SERVER_SOFTWARE
    assert 'os.environ["SERVER_SOFTWARE"]' in Path(arbiter.__file__).read_text()


def test_the_production_process_runs_until_sigterm(app, mailbox, smtp_server):
    environment = {
        **os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_server.port), "SMTP_STARTTLS": "0",
        "LEERKRING_SCHEDULER": "off", "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING",
        "MAIL_DIRECTORY": str(Path(app.config["MAIL_DIRECTORY"])),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], cwd=ROOT,
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout.readline().strip() == "Scheduler running; stop with Ctrl-C."
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert (process.returncode, out.strip()) == (0, "Scheduler stopped."), err


# flask scheduler tick -------------------------------------------------------------------------


def tick(app, *args):
    return app.test_cli_runner().invoke(args=["scheduler", "tick", *args])


def test_tick_prints_what_it_planned_and_sent(app, reminders, mailbox):
    user = make_users(1)[0]
    reminders.want(user, T0)
    result = tick(app, "--now", "2026-12-01T09:00")  # the platform's zone: 08:00 UTC
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2026-12-01 09:00 CET: planned 1 (outbox_test 1)",
        f"  sent email outbox_test to {user.email}",
    ]
    again = tick(app, "--now", "2026-12-01T08:00:00+00:00")
    assert again.output.splitlines() == ["2026-12-01 09:00 CET: planned 0"]
    assert [m["To"] for m in mailbox.messages] == [user.email]


def test_tick_repeats_until_a_moment(app, reminders, mailbox):
    first, second = make_users(2)
    reminders.want(first, T0 + timedelta(minutes=20))
    reminders.want(second, T0 + timedelta(hours=1))
    result = tick(app, "--now", "2026-12-01T09:00", "--until", "2026-12-01T10:00",
                  "--every", "30")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2026-12-01 09:00 CET: planned 2 (outbox_test 2)",
        "2026-12-01 09:30 CET: planned 0",
        f"  sent email outbox_test to {first.email}",
        "2026-12-01 10:00 CET: planned 0",
        f"  sent email outbox_test to {second.email}",
    ]


def test_tick_reports_retries(app, reminders):
    reminders.want(make_users(1)[0], T0)
    app.config["SMTP_PORT"] = free_port()
    result = tick(app, "--now", "2026-12-01T08:00Z")
    assert result.output.splitlines() == [
        "2026-12-01 09:00 CET: planned 1 (outbox_test 1)", "  retrying: 1"]


@pytest.mark.parametrize(("args", "error"), [
    (["--now", "tomorrow"], "'tomorrow' is not an ISO 8601 date and time"),
    (["--now", "2026-13-01T09:00"], "'2026-13-01T09:00' is not an ISO 8601 date and time"),
    (["--until", "later"], "'later' is not an ISO 8601 date and time"),
    (["--every", "0", "--until", "2026-12-01T10:00"], "0 is not in the range x>=1"),
])
def test_tick_explains_a_bad_option(app, reminders, args, error):
    result = tick(app, *args)
    assert result.exit_code == 2
    assert error in result.output
    assert deliveries() == []
