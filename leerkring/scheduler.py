"""The scheduler: APScheduler keeps time, the database decides (DESIGN.md section 7).

Two jobs with fixed ids run in an in-memory job store: **plan** (insert what has become due) and
**deliver** (send what is due). All state lives in the outbox table, so a scheduler can stop, start
again or run twice without losing or doubling a reminder. ``tick`` does one pass of both, as the
jobs and ``flask --app wsgi scheduler tick`` do.

Processes: ``flask --app wsgi scheduler run`` in production; the development server embeds one
when ``LEERKRING_SCHEDULER=embedded`` (``make run``); gunicorn workers never start one.
"""

import atexit
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from werkzeug.serving import is_running_from_reloader

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import outbox
from leerkring.notifications.registry import HOUSEKEEPING

log = logging.getLogger(__name__)

PLAN_JOB = "leerkring.plan"
DELIVER_JOB = "leerkring.deliver"


def job_context(app: Flask):
    """Jobs run outside any request: links in mail take their host from ``SERVER_NAME`` (the
    development server's address when unset)."""
    config = app.config
    host = config["SERVER_NAME"] or "127.0.0.1:5000"
    return app.test_request_context(base_url=f"{config['PREFERRED_URL_SCHEME']}://{host}")


def plan(now: datetime) -> Counter:
    for job in HOUSEKEEPING:
        job(now)
        db.session.commit()
    planned = outbox.plan(now)
    db.session.commit()
    return planned


def deliver(now: datetime, worker: str | None = None) -> outbox.Report:
    return outbox.deliver(now, worker)


def tick(now: datetime | None = None) -> tuple[Counter, outbox.Report]:
    """One planning pass and one delivery pass, as if at ``now``."""
    now = now or utcnow()
    return plan(now), deliver(now)


def _run_in(app: Flask, job):
    def run() -> None:
        with job_context(app):
            try:
                job(utcnow())
            except Exception:
                log.exception("Scheduler job %s failed", job.__name__)
                db.session.rollback()

    run.__name__ = job.__name__
    return run


def build(app: Flask) -> BackgroundScheduler:
    config = app.config
    scheduler = BackgroundScheduler(
        timezone=UTC,
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 60},
    )
    now = datetime.now(UTC)
    scheduler.add_job(
        _run_in(app, plan), "interval", seconds=config["SCHEDULER_PLAN_SECONDS"],
        id=PLAN_JOB, name="plan reminders", replace_existing=True, next_run_time=now,
    )
    scheduler.add_job(
        _run_in(app, deliver), "interval", seconds=config["SCHEDULER_DELIVER_SECONDS"],
        # First a little after the first plan, so what it found due goes out at once.
        id=DELIVER_JOB, name="deliver reminders", replace_existing=True,
        next_run_time=now + timedelta(seconds=10),
    )
    return scheduler


def embed(app: Flask) -> BackgroundScheduler | None:
    """Start a scheduler inside the development server: in the process that serves, not in the
    reloader's watcher (which would make two)."""
    if app.debug and not is_running_from_reloader():
        return None
    scheduler = build(app)
    scheduler.start()
    atexit.register(lambda: scheduler.shutdown(wait=False))
    log.info("Scheduler embedded in the web process")
    return scheduler
