"""A reminder kind of the tests' own, for proving the outbox without any area's kinds, and the
scheduler's passes run as its jobs run them.

The ``outbox_kind`` fixture (conftest.py) registers a kind about users (subject type "user") that
wants exactly the reminders a test asks for with ``kind.want(user, due_at)``. While it is
registered the registry holds nothing else (no area's kinds, no housekeeping), so every count is
the test's own; afterwards the registry is as it was.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from leerkring import scheduler
from leerkring.extensions import db
from leerkring.notifications import outbox, registry
from leerkring.notifications.models import Delivery
from leerkring.notifications.registry import Due, Kind, Rendered
from tests import factories as f

#: A Tuesday morning in December, 08:00 UTC: the tests' "now".
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
KIND = "outbox_test"

TEMPLATES = {
    "outbox_test/reminder.txt": "{{ line }}\n\n{% include 'notifications/mail/_footer.txt' %}\n",
    "outbox_test/reminder.html": (
        "{% extends 'notifications/mail/_layout.html' %}"
        "{% block body %}<p>{{ line }}</p>{% endblock %}"
    ),
}


class ReminderKind:
    """Wants one reminder per (user, occurrence) the test asked for; renders a fixed subject and
    one line of text."""

    def __init__(self, channels):
        self.wanted: dict[tuple[int, str], Due] = {}
        self.subject = "Your reminder"
        #: Subject ids whose reminder has nothing to say (render returns None).
        self.silent: set[int] = set()
        #: Called with the delivery before rendering (a test may block or fail it there).
        self.before_render: Callable | None = None
        self.rendered: list[int] = []
        #: When set, ``due`` raises (a kind with a bug).
        self.is_broken = False
        self.kind = Kind(
            name=KIND, subject_type="user", label="Test reminder", notice="Reminder: %(line)s",
            due=self.due, render=self.render, channels=tuple(channels),
        )

    def want(self, user, due_at, expires_at=None, occurrence_key=""):
        self.wanted[user.id, occurrence_key] = Due(
            user.id, user.id, due_at, expires_at or due_at + timedelta(hours=10), occurrence_key
        )

    def unwant(self, user, occurrence_key=""):
        del self.wanted[user.id, occurrence_key]

    def due(self, scope: registry.Scope):
        if self.is_broken:
            raise RuntimeError("the kind broke")
        if scope.subject_ids is None:
            return list(self.wanted.values())
        return [due for due in self.wanted.values() if due.subject_id in scope.subject_ids]

    def render(self, delivery) -> Rendered | None:
        if self.before_render is not None:
            self.before_render(delivery)
        self.rendered.append(delivery.id)
        if delivery.subject_id in self.silent:
            return None
        line = f"Reminder {delivery.occurrence_key or 'once'} for user {delivery.subject_id}"
        return Rendered(
            subject=self.subject, template="outbox_test/reminder", url="/notifications/",
            params={"line": line}, context={"line": line},
        )



# Running the passes as the scheduler's jobs do -------------------------------------------------


def tick(app, now):
    with scheduler.job_context(app):
        return scheduler.tick(now)


def plan(app, now):
    with scheduler.job_context(app):
        return scheduler.plan(now)


def deliver(app, now, worker="worker-1"):
    with scheduler.job_context(app):
        return outbox.deliver(now, worker)


def replan(subject_ids, now=T0):
    outbox.replan("user", subject_ids, now=now)
    db.session.commit()


def deliveries(**where) -> list[Delivery]:
    """The outbox rows (fresh from the database), in id order."""
    db.session.expire_all()
    return list(db.session.execute(
        db.select(Delivery).filter_by(**where).order_by(Delivery.id)).scalars())


def make_users(count: int) -> list:
    return [f.make_user() for _ in range(count)]
