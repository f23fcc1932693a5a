"""Meeting reminders are planned at the right UTC instant (on both sides of a change of the
clocks), only for whom they are meant, and follow the meeting when it moves or is cancelled."""

from datetime import date, time, timedelta

import pytest

from leerkring.circles import services as circle_services
from leerkring.extensions import db
from leerkring.meetings import reminders, rsvp, services
from leerkring.meetings.models import Answer, Attendance, CheckInMethod
from leerkring.meetings.recurrence import Frequency, Pattern
from leerkring.notifications import preferences
from leerkring.notifications.models import (
    Channel,
    CircleMutedKind,
    DeliveryStatus,
    NotificationSettings,
)
from leerkring.notifications.registry import KINDS, Scope
from tests.factories import add_member, make_user
from tests.meetings.reminder_helpers import (
    amsterdam,
    due_at,
    make_people,
    membership,
    pending,
    plan,
    recipients,
    rows,
    utc,
)


@pytest.fixture
def people(app):
    return make_people()


# Clocks go back on Sunday 31 October 2027 and forward on Sunday 28 March 2027 (Amsterdam).
AUTUMN = [
    # (meeting start in Amsterdam, the day before 09:00 local, three days before 09:00 local)
    ((2027, 10, 26, 19, 30), utc(2027, 10, 25, 7, 0), utc(2027, 10, 23, 7, 0)),
    ((2027, 11, 2, 19, 30), utc(2027, 11, 1, 8, 0), utc(2027, 10, 30, 7, 0)),
    ((2027, 11, 1, 19, 30), utc(2027, 10, 31, 8, 0), utc(2027, 10, 29, 7, 0)),
]
SPRING = [
    ((2027, 3, 23, 19, 30), utc(2027, 3, 22, 8, 0), utc(2027, 3, 20, 8, 0)),
    ((2027, 3, 30, 19, 30), utc(2027, 3, 29, 7, 0), utc(2027, 3, 27, 8, 0)),
    ((2027, 3, 29, 19, 30), utc(2027, 3, 28, 7, 0), utc(2027, 3, 26, 8, 0)),
]


@pytest.mark.parametrize(("start", "day_before", "three_days_before"), AUTUMN + SPRING)
def test_soon_and_answer_open_at_nine_local_across_the_clock_change(
    people, start, day_before, three_days_before
):
    circle, coordinator, (anna, *_) = people
    meeting = plan(circle, coordinator, amsterdam(*start))
    assert due_at("meeting_soon", anna, meeting) == day_before
    assert due_at("answer_open", anna, meeting) == three_days_before
    [soon] = pending("meeting_soon", anna, meeting)
    assert soon.expires_at == meeting.starts_at
    assert soon.occurrence_key == ""
    assert recipients("meeting_soon", meeting) == {coordinator.id, *(m.id for m in people[2])}


def test_the_hour_comes_from_the_config(app, people):
    app.config["REMINDER_MEETING_HOUR"] = 18
    circle, coordinator, (anna, *_) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    assert due_at("meeting_soon", anna, meeting) == utc(2027, 11, 1, 17, 0)


def test_a_member_with_a_lead_time_of_two_days(people):
    circle, coordinator, (anna, bram, _cor) = people
    db.session.add(NotificationSettings(user_id=anna.id, meeting_lead_days=2))
    db.session.commit()
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    # Two local days before is Sunday 31 October, the day the clocks go back.
    assert due_at("meeting_soon", anna, meeting) == utc(2027, 10, 31, 8, 0)
    assert due_at("meeting_soon", bram, meeting) == utc(2027, 11, 1, 8, 0)


def test_a_lead_time_past_the_start_plans_nothing(people):
    circle, coordinator, (anna, *_) = people
    db.session.add(NotificationSettings(user_id=anna.id, meeting_lead_days=0))
    db.session.commit()
    early = plan(circle, coordinator, amsterdam(2027, 11, 2, 8, 30))
    assert pending("meeting_soon", anna, early) == []
    later = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    assert due_at("meeting_soon", anna, later) == utc(2027, 11, 2, 8, 0)


def test_starting_soon_only_for_online_meetings(people):
    circle, coordinator, (anna, *_) = people
    before = plan(circle, coordinator, amsterdam(2027, 10, 26, 19, 30),
                  online_url="https://meet.example.org/kring")
    after = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30),
                 online_url="https://meet.example.org/kring")
    in_person = plan(circle, coordinator, amsterdam(2027, 11, 9, 19, 30))
    assert due_at("meeting_starting", anna, before) == utc(2027, 10, 26, 16, 30)
    assert due_at("meeting_starting", anna, after) == utc(2027, 11, 2, 17, 30)
    assert pending("meeting_starting", meeting=in_person) == []


def test_a_series_plans_each_occurrence_at_its_own_wall_clock(people):
    circle, coordinator, (anna, *_) = people
    _series, created, _ = services.create_series(
        circle, coordinator, Pattern(Frequency.WEEKLY, 1, weekday=1, count=2),
        date(2027, 10, 26), time(19, 30), time(21, 0), "Europe/Amsterdam",
        title="Intervisie", place_address="Markt 1",
    )
    db.session.commit()
    assert [due_at("meeting_soon", anna, m) for m in created] == [
        utc(2027, 10, 25, 7, 0), utc(2027, 11, 1, 8, 0)]
    assert [pending("meeting_soon", anna, m)[0].occurrence_key for m in created] == [
        "2027-10-26T19:30", "2027-11-02T19:30"]


# Whom ------------------------------------------------------------------------------------------


def test_yes_maybe_and_no_answer_are_reminded_no_is_not(people):
    circle, coordinator, (anna, bram, cor) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30),
                   online_url="https://meet.example.org/kring")
    rsvp.answer(meeting, anna, Answer.YES)
    rsvp.answer(meeting, bram, Answer.MAYBE)
    rsvp.answer(meeting, cor, Answer.NO)
    db.session.commit()
    expected = {coordinator.id, anna.id, bram.id}
    assert recipients("meeting_soon", meeting) == expected
    assert recipients("meeting_starting", meeting) == expected
    assert recipients("answer_open", meeting) == {coordinator.id}
    assert recipients("meeting_soon", meeting, DeliveryStatus.CANCELLED) == {cor.id}

    rsvp.answer(meeting, cor, Answer.YES)
    db.session.commit()
    assert cor.id in recipients("meeting_soon", meeting)
    assert len(rows("meeting_soon", cor, meeting)) == 1  # the same row, planned again


def test_those_on_the_waitlist_are_not_told_the_meeting_is_near(people):
    circle, coordinator, (anna, bram, _cor) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30), max_places=1)
    rsvp.answer(meeting, anna, Answer.YES)
    rsvp.answer(meeting, bram, Answer.YES)
    db.session.commit()
    assert bram.id not in recipients("meeting_soon", meeting)
    assert anna.id in recipients("meeting_soon", meeting)


def test_leaving_the_circle_cancels_and_joining_plans(people):
    circle, coordinator, (anna, *_) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    rsvp.answer(meeting, anna, Answer.YES)
    db.session.commit()
    circle_services.leave(membership(circle, anna))
    db.session.commit()
    assert anna.id not in recipients("meeting_soon", meeting)
    assert [r.status for r in rows("meeting_soon", anna, meeting)] == [DeliveryStatus.CANCELLED]

    newcomer = make_user()
    add_member(circle, newcomer)
    assert due_at("answer_open", newcomer, meeting) == utc(2027, 10, 30, 7, 0)
    assert due_at("meeting_soon", newcomer, meeting) == utc(2027, 11, 1, 8, 0)


def test_a_circle_that_muted_a_kind_and_a_member_who_turned_it_off(people):
    circle, coordinator, (anna, bram, _cor) = people
    db.session.add(CircleMutedKind(circle_id=circle.id, kind="answer_open"))
    preferences.choose(anna, KINDS["meeting_soon"], Channel.EMAIL, False)
    preferences.choose(bram, KINDS["meeting_soon"], Channel.EMAIL, False)
    preferences.choose(bram, KINDS["meeting_soon"], Channel.INAPP, False)
    db.session.commit()
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    assert rows("answer_open", meeting=meeting, channel=None) == []
    assert rows("meeting_soon", anna, meeting) == []
    assert [r.channel for r in rows("meeting_soon", anna, meeting, channel=None)] == [
        Channel.INAPP]
    assert rows("meeting_soon", bram, meeting, channel=None) == []
    assert coordinator.id in recipients("meeting_soon", meeting)


# When the meeting changes ---------------------------------------------------------------------


def test_moving_the_meeting_moves_its_reminders_and_tells_yes_and_maybe(people):
    circle, coordinator, (anna, bram, cor) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 10, 26, 19, 30))
    rsvp.answer(meeting, anna, Answer.YES)
    rsvp.answer(meeting, bram, Answer.MAYBE)
    rsvp.answer(meeting, cor, Answer.NO)
    db.session.commit()
    [before] = pending("meeting_soon", anna, meeting)

    new_start = amsterdam(2027, 11, 2, 19, 30)
    services.update_meeting(meeting, starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    db.session.commit()
    [after] = pending("meeting_soon", anna, meeting)
    assert after.id == before.id
    assert (after.due_at, after.expires_at) == (utc(2027, 11, 1, 8, 0), new_start)
    assert due_at("answer_open", coordinator, meeting) == utc(2027, 10, 30, 7, 0)
    changed = pending("meeting_changed", meeting=meeting)
    assert {r.user_id for r in changed} == {anna.id, bram.id}
    assert {r.due_at for r in changed} == {meeting.changed_at}
    assert {r.expires_at for r in changed} == {new_start}


def test_each_change_of_time_or_place_is_its_own_notice_details_are_none(people):
    circle, coordinator, (anna, *_) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    rsvp.answer(meeting, anna, Answer.YES)
    db.session.commit()
    services.update_meeting(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                            agenda="Nieuwe agenda")
    db.session.commit()
    assert rows("meeting_changed", channel=None) == []

    services.update_meeting(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                            place_address="Elders 2, Enschede")
    db.session.commit()
    [first] = pending("meeting_changed", anna, meeting)
    first.status = DeliveryStatus.SENT  # as if the deliver pass sent it
    db.session.commit()
    services.update_meeting(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                            agenda="Weer een andere agenda")
    db.session.commit()
    assert [r.status for r in rows("meeting_changed", anna, meeting)] == [DeliveryStatus.SENT]

    services.update_meeting(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                            place_room="Zaal 4")
    db.session.commit()
    statuses = [r.status for r in rows("meeting_changed", anna, meeting)]
    assert statuses == [DeliveryStatus.SENT, DeliveryStatus.PENDING]


def test_who_answers_after_a_change_is_not_told_of_it(people):
    circle, coordinator, (anna, bram, _cor) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))
    rsvp.answer(meeting, anna, Answer.YES)
    db.session.commit()
    services.update_meeting(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                            place_address="Elders 2, Enschede")
    db.session.commit()
    rsvp.answer(meeting, bram, Answer.YES)
    db.session.commit()
    assert recipients("meeting_changed", meeting) == {anna.id}


def test_cancelling_cancels_the_reminders_and_tells_yes_and_maybe(people):
    circle, coordinator, (anna, bram, cor) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30),
                   online_url="https://meet.example.org/kring", preparation="Lees het stuk.",
                   case_presenter_id=anna.id)
    rsvp.answer(meeting, anna, Answer.YES)
    rsvp.answer(meeting, bram, Answer.MAYBE)
    rsvp.answer(meeting, cor, Answer.NO)
    db.session.commit()
    assert pending("prepare_case", anna, meeting)

    services.cancel_meeting(meeting)
    db.session.commit()
    for kind in ("meeting_soon", "meeting_starting", "answer_open", "prepare_case"):
        assert pending(kind, meeting=meeting) == [], kind
    cancelled = pending("meeting_cancelled", meeting=meeting)
    assert {r.user_id for r in cancelled} == {anna.id, bram.id}
    assert {(r.due_at, r.expires_at) for r in cancelled} == {
        (meeting.changed_at, meeting.starts_at)}


def test_cancelling_a_series_from_an_occurrence(people):
    circle, coordinator, (anna, *_) = people
    _series, created, _ = services.create_series(
        circle, coordinator, Pattern(Frequency.WEEKLY, 1, weekday=1, count=3),
        date(2027, 10, 26), time(19, 30), time(21, 0), "Europe/Amsterdam",
        title="Intervisie", place_address="Markt 1",
    )
    db.session.commit()
    services.cancel_series(created[1], services.Scope.FOLLOWING)
    db.session.commit()
    assert [bool(pending("meeting_soon", anna, m)) for m in created] == [True, False, False]


# Waitlist, case, reflection --------------------------------------------------------------------


def test_a_place_from_the_waitlist_is_told_at_once(people):
    circle, coordinator, (anna, bram, cor) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30), max_places=1)
    rsvp.answer(meeting, anna, Answer.YES)
    rsvp.answer(meeting, bram, Answer.YES)
    db.session.commit()
    assert rows("waitlist_place", channel=None) == []
    rsvp.answer(meeting, anna, Answer.NO)
    db.session.commit()
    [row] = pending("waitlist_place", meeting=meeting)
    promoted = rsvp._find(meeting, user=bram)
    assert (row.user_id, row.due_at, row.expires_at) == (
        bram.id, promoted.promoted_at, meeting.starts_at)
    assert row.occurrence_key == reminders.instant_key(promoted.promoted_at)
    assert bram.id in recipients("meeting_soon", meeting)

    rsvp.answer(meeting, bram, Answer.NO)  # gave the place back before hearing of it
    db.session.commit()
    assert pending("waitlist_place", meeting=meeting) == []
    assert cor.id not in recipients("waitlist_place", meeting)


def test_prepare_case_only_with_preparation_and_a_presenter(people):
    circle, coordinator, (anna, bram, _cor) = people
    both = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30),
                preparation="Schrijf je casus op.", case_presenter_id=anna.id)
    no_preparation = plan(circle, coordinator, amsterdam(2027, 11, 9, 19, 30),
                          case_presenter_id=anna.id)
    no_presenter = plan(circle, coordinator, amsterdam(2027, 11, 16, 19, 30),
                        preparation="Schrijf je casus op.")
    assert due_at("prepare_case", anna, both) == utc(2027, 10, 30, 7, 0)
    assert recipients("prepare_case", both) == {anna.id}
    assert pending("prepare_case", meeting=no_preparation) == []
    assert pending("prepare_case", meeting=no_presenter) == []

    services.update_meeting(both, starts_at=both.starts_at, ends_at=both.ends_at,
                            case_presenter_id=bram.id)
    db.session.commit()
    assert recipients("prepare_case", both) == {bram.id}
    rsvp.answer(both, bram, Answer.NO)
    db.session.commit()
    assert recipients("prepare_case", both) == set()


def test_reflection_two_hours_after_the_end_to_those_present(people):
    circle, coordinator, (anna, bram, cor) = people
    meeting = plan(circle, coordinator, amsterdam(2027, 11, 2, 19, 30))  # ends 21:00 local
    for user, present in ((anna, True), (bram, False)):
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, is_present=present,
                                  method=CheckInMethod.COORDINATOR))
    db.session.commit()
    services.replan([meeting])
    db.session.commit()
    [row] = pending("write_reflection", meeting=meeting)
    assert (row.user_id, row.due_at, row.expires_at) == (
        anna.id, utc(2027, 11, 2, 22, 0), utc(2027, 11, 16, 22, 0))


# Queries ---------------------------------------------------------------------------------------


def many_meetings(circle, coordinator, members, count):
    first = amsterdam(2027, 11, 2, 19, 30)
    meetings = [
        plan(circle, coordinator, first + timedelta(days=7 * n),
             online_url="https://meet.example.org/kring", preparation="Lees.",
             case_presenter_id=members[1].id, max_places=1)
        for n in range(count)
    ]
    for meeting in meetings:
        rsvp.answer(meeting, members[0], Answer.YES)
        rsvp.answer(meeting, members[1], Answer.YES)
        rsvp.answer(meeting, members[0], Answer.NO)
        db.session.add(Attendance(meeting_id=meeting.id, user_id=members[2].id,
                                  method=CheckInMethod.BUTTON))
        services.update_meeting(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                                place_room="Zaal 2")
    db.session.commit()
    return meetings


def queries_per_kind(count_queries, meetings) -> dict[str, int]:
    ids = [m.id for m in meetings]
    counts = {}
    for name in ("meeting_soon", "meeting_starting", "answer_open", "meeting_changed",
                 "meeting_cancelled", "waitlist_place", "prepare_case", "write_reflection"):
        for scope in (Scope(utc(2027, 10, 20), None, ids),
                      Scope(utc(2027, 10, 20), utc(2028, 12, 1))):
            db.session.expire_all()
            with count_queries() as counter:
                dues = list(KINDS[name].due(scope))
            counts[f"{name} {scope.subject_ids is None}"] = counter.count
            if name not in ("meeting_cancelled",):
                assert dues, name
    return counts


def test_due_runs_the_same_queries_for_2_and_20_meetings(people, count_queries):
    circle, coordinator, members = people
    small = queries_per_kind(count_queries, many_meetings(circle, coordinator, members, 2))
    for n in range(10):
        add_member(circle, make_user(name=f"Extra {n}"))
    large = queries_per_kind(count_queries, many_meetings(circle, coordinator, members, 20))
    assert small == large
    assert max(small.values()) <= 2
