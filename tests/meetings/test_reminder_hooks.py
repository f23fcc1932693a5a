"""What keeps meeting reminders planned without anyone asking: the housekeeping job that makes a
series' later occurrences, a member's changed choices, and the registry entries."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.meetings import reminders, services
from leerkring.meetings.models import Meeting
from leerkring.meetings.recurrence import Frequency, Pattern
from leerkring.notifications import choices
from leerkring.notifications.models import NotificationSettings
from leerkring.notifications.registry import HOUSEKEEPING, KINDS, PREFERENCE_LISTENERS
from tests.meetings.reminder_helpers import AMS, amsterdam, due_at, make_people, plan, utc


@pytest.fixture
def people(app):
    return make_people()


def test_every_kind_is_registered_about_meetings():
    names = ("meeting_soon", "meeting_starting", "answer_open", "meeting_changed",
             "meeting_cancelled", "waitlist_place", "prepare_case", "write_reflection")
    assert {KINDS[name].subject_type for name in names} == {"meeting"}
    assert reminders.extend_all_series in HOUSEKEEPING
    assert reminders.replan_for in PREFERENCE_LISTENERS


def test_housekeeping_makes_later_occurrences_with_their_reminders(people):
    circle, coordinator, (anna, *_) = people
    series, created, _ = services.create_series(
        circle, coordinator, Pattern(Frequency.WEEKLY, 1, weekday=1, count=60),
        date(2027, 1, 5), time(19, 30), time(21, 0), AMS, title="Intervisie",
        place_address="Markt 1",
    )
    db.session.commit()
    made = len(created)
    assert made < 60

    reminders.extend_all_series(utc(2027, 3, 1))
    db.session.commit()
    meetings = db.session.execute(
        sa.select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.starts_at)
    ).scalars().all()
    assert len(meetings) == 60
    last = meetings[-1]
    assert last.occurrence_key == "2028-02-22T19:30"
    assert due_at("meeting_soon", anna, last) == utc(2028, 2, 21, 8, 0)

    reminders.extend_all_series(utc(2027, 3, 1))  # nothing more to do, nothing doubled
    db.session.commit()
    assert db.session.scalar(
        sa.select(sa.func.count()).where(Meeting.series_id == series.id)) == 60


def test_housekeeping_leaves_archived_circles_alone(people):
    circle, coordinator, _members = people
    series, created, _ = services.create_series(
        circle, coordinator, Pattern(Frequency.WEEKLY, 1, weekday=1, count=60),
        date(2027, 1, 5), time(19, 30), time(21, 0), AMS, title="Intervisie",
        place_address="Markt 1",
    )
    circle.archived_at = utc(2027, 2, 1)
    db.session.commit()
    reminders.extend_all_series(utc(2027, 3, 1))
    db.session.commit()
    assert db.session.scalar(
        sa.select(sa.func.count()).where(Meeting.series_id == series.id)) == len(created)


def test_a_new_lead_time_moves_the_reminder_at_once(people):
    circle, coordinator, (anna, *_) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    kinds, chosen = choices.current(anna)
    chosen.meeting_lead_days = 3
    choices.save(anna, chosen)
    db.session.commit()
    assert db.session.get(NotificationSettings, anna.id).meeting_lead_days == 3
    assert due_at("meeting_soon", anna, meeting) == utc(2027, 10, 30, 7, 0)
