"""Fixtures for the outbox tests (the kind itself: outbox_kind.py)."""

import pytest
from jinja2 import ChoiceLoader, DictLoader

from leerkring.notifications import registry, services
from leerkring.notifications.models import Channel
from tests.notifications.outbox_kind import KIND, TEMPLATES, ReminderKind


@pytest.fixture
def outbox_kind(app):
    """``outbox_kind(channels=(Channel.EMAIL,))`` registers the test kind, alone."""
    kinds, housekeeping = dict(registry.KINDS), list(registry.HOUSEKEEPING)
    registry.KINDS.clear()
    registry.HOUSEKEEPING.clear()
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])

    def register(channels=(Channel.EMAIL,)) -> ReminderKind:
        test_kind = ReminderKind(channels)
        registry.register_kind(test_kind.kind)
        return test_kind

    yield register
    registry.KINDS.clear()
    registry.KINDS.update(kinds)
    registry.HOUSEKEEPING[:] = housekeeping
    services.MESSAGES.pop(KIND, None)


@pytest.fixture
def reminders(outbox_kind) -> ReminderKind:
    """The test kind on the e-mail channel only."""
    return outbox_kind()
