"""A reminder kind that exists only in these tests, so the preference, unsubscribe and admin
pages can be tested without depending on any area's kinds.

Use the ``ui_kind`` fixture (import it into the test module): its ``wanted`` list holds the
``Due`` items its ``due`` returns; its mail templates extend the real layout and footer.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from flask_babel import lazy_gettext as _l
from jinja2 import ChoiceLoader, DictLoader

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import outbox, registry, services
from leerkring.notifications.models import Delivery
from leerkring.notifications.registry import Due, Kind, Rendered

NAME = "ui_test_reminder"
SUBJECT_TYPE = "ui_test"

TEMPLATES = {
    "tests/ui_reminder.txt": (
        "{{ _('Hello %(name)s,', name=user.name) }}\nSomething is coming up.\n\n"
        '{% include "notifications/mail/_footer.txt" %}'
    ),
    "tests/ui_reminder.html": (
        '{% extends "notifications/mail/_layout.html" %}'
        "{% block body %}<p>Something is coming up.</p>{% endblock %}"
    ),
}


@dataclass
class ReminderKind:
    kind: Kind
    wanted: list[Due] = field(default_factory=list)

    def want(self, user, subject_id=1, due_at=None, circle_id=None, expires_in=timedelta(days=1)):
        due_at = due_at or utcnow() - timedelta(minutes=1)
        self.wanted.append(
            Due(user.id, subject_id, due_at, due_at + expires_in, circle_id=circle_id)
        )

    def plan(self, subject_ids=(1,), now: datetime | None = None) -> None:
        outbox.replan(SUBJECT_TYPE, list(subject_ids), now)
        db.session.commit()

    def rows(self, **filters) -> list[Delivery]:
        return list(
            db.session.execute(
                db.select(Delivery).filter_by(kind=NAME, **filters).order_by(Delivery.id)
            ).scalars()
        )


@pytest.fixture
def ui_kind(app):
    holder = ReminderKind(kind=None)

    def due(scope):
        return [
            item for item in holder.wanted
            if scope.subject_ids is None or item.subject_id in scope.subject_ids
        ]

    def render(delivery):
        return Rendered(subject="Er komt iets aan", template="tests/ui_reminder", url="/")

    holder.kind = registry.register_kind(
        Kind(
            name=NAME,
            subject_type=SUBJECT_TYPE,
            label=_l("Something coming up"),
            notice=_l("Something is coming up."),
            due=due,
            render=render,
        )
    )
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), loader])
    yield holder
    app.jinja_env.loader = loader
    registry.KINDS.pop(NAME, None)
    services.MESSAGES.pop(NAME, None)


def sign_in_as(client, login, user) -> None:
    """Switch the client to ``user`` (logging in while signed in keeps the first user)."""
    client.post("/account/logout")
    login(user)
