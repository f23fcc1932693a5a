"""Benchmark: plan and deliver many reminders through the outbox to a local SMTP server.

    .venv/bin/python benchmarks/reminders.py [--count 10000] [--channels email|both]

Makes a fresh database (a temporary SQLite file; with DATABASE_URL set, a new PostgreSQL database
next to the one it names, dropped afterwards), migrates it, creates one user per reminder and a
reminder kind of its own about them (the only kind registered while it runs), starts an aiosmtpd
server on a free port, then times the scheduler's passes as its jobs run them: one planning pass,
one delivery pass, and a second tick that must find nothing to do. Prints counts, seconds, rates
and the process's peak memory; checks that every mail arrived once.
"""

import argparse
import multiprocessing
import os
import re
import resource
import socket
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from jinja2 import ChoiceLoader, DictLoader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leerkring import create_app, scheduler  # noqa: E402
from leerkring.accounts.models import FieldRole, User  # noqa: E402
from leerkring.config import normalise_database_url  # noqa: E402
from leerkring.extensions import db  # noqa: E402
from leerkring.notifications import registry  # noqa: E402
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus  # noqa: E402
from leerkring.notifications.registry import Due, Kind, Rendered  # noqa: E402

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
KIND = "benchmark_reminder"
TEMPLATES = {
    "benchmark/reminder.txt": "{{ line }}\n\n{% include 'notifications/mail/_footer.txt' %}\n",
    "benchmark/reminder.html": (
        "{% extends 'notifications/mail/_layout.html' %}{% block body %}<p>{{ line }}</p>"
        "{% endblock %}"
    ),
}
MESSAGE_ID = re.compile(rb"^Message-ID: *(\S+)", re.IGNORECASE | re.MULTILINE)


class CountingMailbox:
    """Counts received mail by Message-ID (without keeping the messages)."""

    def __init__(self):
        self.ids = Counter()

    async def handle_DATA(self, server, session, envelope):
        match = MESSAGE_ID.search(envelope.content)
        self.ids[match.group(1) if match else b"?"] += 1
        return "250 Message accepted"


def smtp_server(port: int, ready, stop, results) -> None:
    """The mail server, in a process of its own so that it does not share the benchmark's CPU
    (the GIL); sends back how often it received each Message-ID."""
    mailbox = CountingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    results.put(mailbox.ids)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_memory_mb() -> float:
    """The process's peak resident size so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The database ---------------------------------------------------------------------------------


class FreshDatabase:
    """A temporary SQLite file, or a new PostgreSQL database beside ``base_url``'s."""

    def __init__(self, base_url: str | None):
        self.directory = None
        self.admin = None
        if base_url:
            url = sa.make_url(normalise_database_url(base_url))
            self.name = f"{url.database}_benchmark"
            self.admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
            self._execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            self._execute(f"CREATE DATABASE {self.name}")
            self.url = url.set(database=self.name).render_as_string(hide_password=False)
        else:
            self.directory = tempfile.TemporaryDirectory(prefix="leerkring-benchmark-")
            self.url = f"sqlite:///{Path(self.directory.name) / 'benchmark.db'}"

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(statement))

    def drop(self) -> None:
        if self.admin is not None:
            self._execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        else:
            self.directory.cleanup()


# The benchmark's own reminder kind ------------------------------------------------------------


def register_kind(user_ids: list[int], channels) -> None:
    """One reminder per user, due now, about the user (subject type "user")."""
    dues = [Due(user_id, user_id, NOW, NOW + timedelta(hours=10)) for user_id in user_ids]

    def due(scope):
        return dues

    def render(delivery):
        line = f"Reminder {delivery.id} for user {delivery.user_id}"
        return Rendered(subject="Your reminder", template="benchmark/reminder",
                        url="/notifications/", params={"line": line}, context={"line": line})

    registry.KINDS.clear()
    registry.HOUSEKEEPING.clear()
    registry.register_kind(Kind(KIND, "user", "Benchmark reminder", "Reminder: %(line)s",
                                due, render, channels=channels))


def make_users(count: int) -> list[int]:
    werkplaats_id = db.session.execute(sa.text("SELECT min(id) FROM werkplaatsen")).scalar()
    db.session.execute(sa.insert(User), [
        {"email": f"member{n}@example.org", "name": f"Member {n}", "password_hash": "!",
         "field_role": FieldRole.PROFESSIONAL, "home_werkplaats_id": werkplaats_id,
         "email_verified_at": NOW, "session_token": f"benchmark{n}", "created_at": NOW,
         "organisation": "", "timezone": "Europe/Amsterdam", "is_admin": False}
        for n in range(count)
    ])
    db.session.commit()
    return list(db.session.execute(sa.select(User.id).order_by(User.id)).scalars())


# Running it -----------------------------------------------------------------------------------


def timed(label: str, work, count: int | None, results: list) -> object:
    started = time.perf_counter()
    outcome = work()
    seconds = time.perf_counter() - started
    results.append((label, count, seconds, peak_memory_mb()))
    return outcome


def run(count: int, channels: tuple[Channel, ...], database: FreshDatabase) -> int:
    port = free_port()
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    received = multiprocessing.Queue()
    server = multiprocessing.Process(target=smtp_server, args=(port, ready, stop, received))
    server.start()
    ready.wait(30)
    app = create_app({
        "DATABASE_URL": database.url, "SECRET_KEY": "benchmark", "SERVER_NAME": "leerkring.test",
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_STARTTLS": False,
        "SMTP_USERNAME": None, "LEERKRING_SCHEDULER": "off", "LOG_LEVEL": "WARNING",
    })
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])
    results = []
    try:
        with app.app_context():
            timed("migrate", upgrade, None, results)
            user_ids = timed("create users", lambda: make_users(count), count, results)
            register_kind(user_ids, channels)
            reminders = count * len(channels)
            with scheduler.job_context(app):
                planned = timed("plan", lambda: scheduler.plan(NOW), reminders, results)
                report = timed("deliver", lambda: scheduler.deliver(NOW, "benchmark"),
                               reminders, results)
                again = timed("tick again", lambda: scheduler.tick(NOW), None, results)
            statuses = Counter(db.session.execute(
                sa.select(Delivery.status).where(Delivery.kind == KIND)).scalars())
            dialect = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
    finally:
        stop.set()
    ids = received.get(timeout=60)
    server.join()

    print_report(dialect, channels, count, results)
    mails = sum(ids.values())
    checks = {
        "planned": sum(planned.values()) == reminders,
        "sent": len(report.sent) == reminders and statuses == {DeliveryStatus.SENT: reminders},
        "each mail once": mails == len(ids) == count * (Channel.EMAIL in channels),
        "second tick idle": sum(again[0].values()) == 0 and not again[1].sent,
    }
    print(f"Mail received: {mails} messages, {len(ids)} distinct Message-IDs; "
          "outbox rows: " + ", ".join(f"{status} {n}" for status, n in statuses.items())
          + f"; retries: {report.retrying}")
    print("Checks: " + ", ".join(f"{name} {'ok' if ok else 'FAILED'}"
                                 for name, ok in checks.items()))
    return 0 if all(checks.values()) else 1


def print_report(dialect, channels, count, results) -> None:
    print(f"\nLeerkring reminders benchmark: {count} users, one reminder each on "
          f"{' and '.join(channels)} ({dialect}, Python {sys.version.split()[0]})")
    print(f"{'phase':<14}{'items':>8}{'seconds':>10}{'per second':>12}{'peak RSS':>12}")
    for label, items, seconds, memory in results:
        rate = f"{items / seconds:,.0f}" if items else ""
        print(f"{label:<14}{items or '':>8}{seconds:>10.2f}{rate:>12}{memory:>9.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="users, one reminder each")
    parser.add_argument("--channels", choices=["email", "both"], default="email",
                        help="e-mail only (default), or e-mail and in-app")
    args = parser.parse_args()
    channels = (Channel.EMAIL,) if args.channels == "email" else (Channel.EMAIL, Channel.INAPP)
    database = FreshDatabase(os.environ.get("DATABASE_URL"))
    try:
        return run(args.count, channels, database)
    finally:
        database.drop()


if __name__ == "__main__":
    sys.exit(main())
