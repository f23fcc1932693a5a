"""The weekly digest: Monday 08:00 in the reader's zone, once a week, only when there is news."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leerkring import scheduler
from leerkring.extensions import db
from leerkring.meetings import datepolls
from leerkring.meetings.models import DatePoll, DatePollOption, MeetingStatus, PollAnswer
from leerkring.models import Membership
from leerkring.notifications import digest
from leerkring.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Digest,
    NotificationSettings,
)
from leerkring.notifications.registry import DigestItem, DigestSection, Due, Scope
from tests import factories as f

#: Monday 7 December 2026, 08:00 in Amsterdam (winter time: UTC+1).
MONDAY = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
SUBJECT = "Your week in Leerkring"
LONG_AGO = datetime(2026, 10, 1, tzinfo=UTC)


def tick(app, now):
    with scheduler.job_context(app):
        return scheduler.tick(now)


def digests(mailbox, user):
    return [m for m in mailbox.to(user.email) if m["Subject"] == SUBJECT]


def rows(user=None):
    statement = db.select(Delivery).filter_by(kind="digest").order_by(Delivery.due_at)
    if user is not None:
        statement = statement.filter_by(user_id=user.id)
    return db.session.execute(statement).scalars().all()


def joined(circle, user, at):
    membership = db.session.execute(
        db.select(Membership).filter_by(circle_id=circle.id, user_id=user.id)
    ).scalar_one()
    membership.joined_at = at
    db.session.commit()


def make_poll(circle, coordinator, title, closes_at=None) -> DatePoll:
    start = MONDAY + timedelta(days=30)
    poll = DatePoll(
        circle_id=circle.id, title=title, timezone="Europe/Amsterdam",
        created_by_id=coordinator.id, closes_at=closes_at,
        options=[DatePollOption(starts_at=start, ends_at=start + timedelta(hours=2))],
    )
    db.session.add(poll)
    db.session.commit()
    return poll


def never(user):
    db.session.add(NotificationSettings(user_id=user.id, digest=Digest.NEVER))
    db.session.commit()


@pytest.fixture
def week(app):
    """Eva coordinates Armoede Twente (a member joined on Thursday) and is a member of Schulden
    Zwolle; both have things coming up."""
    eva = f.make_user(name="Eva", locale="en")
    old, new = f.make_user(name="Oud", locale="en"), f.make_user(name="Nieuw", locale="en")
    armoede = f.make_circle(eva, members=[old, new], name="Armoede Twente")
    host = f.make_user()
    schulden = f.make_circle(host, members=[eva], name="Schulden Zwolle")
    for circle, user in [(armoede, eva), (armoede, old), (schulden, host), (schulden, eva)]:
        joined(circle, user, LONG_AGO)
    joined(armoede, new, datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    elsewhere = f.make_circle(f.make_user(), name="Elders")
    meetings = {
        "soon": f.make_meeting(armoede, title="Intervisie december",
                               starts_at=datetime(2026, 12, 9, 18, 30, tzinfo=UTC)),
        "other_circle": f.make_meeting(schulden, title="Schuldhulp casus",
                                       starts_at=datetime(2026, 12, 13, 13, 0, tzinfo=UTC)),
        "later": f.make_meeting(armoede, title="Na de week",
                                starts_at=datetime(2026, 12, 15, 18, 30, tzinfo=UTC)),
        "cancelled": f.make_meeting(armoede, title="Gaat niet door",
                                    starts_at=datetime(2026, 12, 10, 18, 30, tzinfo=UTC),
                                    status=MeetingStatus.CANCELLED),
        "not_mine": f.make_meeting(elsewhere, title="Niet van Eva",
                                   starts_at=datetime(2026, 12, 9, 18, 30, tzinfo=UTC)),
    }
    polls = {
        "open": make_poll(schulden, host, "Planning januari",
                          closes_at=datetime(2026, 12, 12, 22, 0, tzinfo=UTC)),
        "no_end": make_poll(armoede, eva, "Thema voorjaar"),
        "answered": make_poll(schulden, host, "Al ingevuld"),
        "closing_before": make_poll(schulden, host, "Te laat",
                                    closes_at=datetime(2026, 12, 6, 22, 0, tzinfo=UTC)),
    }
    datepolls.answer(polls["answered"].options[0], eva, PollAnswer.YES)
    db.session.commit()
    return dict(eva=eva, armoede=armoede, schulden=schulden, meetings=meetings, polls=polls,
                old=old, new=new, host=host)


def test_what_the_reader_finds_in_the_mail(app, week, mailbox):
    tick(app, MONDAY)
    received = digests(mailbox, week["eva"])
    assert len(received) == 1
    text = mailbox.text(received[0])
    assert "Hello Eva," in text
    assert "Meetings in your circles this week" in text
    soon, other = week["meetings"]["soon"], week["meetings"]["other_circle"]
    assert "Intervisie december, Wednesday, December 9, 2026, 7:30\u202fPM (Armoede Twente)" in text
    assert f"http://leerkring.test/meetings/{soon.id}" in text
    assert "Schuldhulp casus, Sunday, December 13, 2026, 2:00\u202fPM (Schulden Zwolle)" in text
    assert f"http://leerkring.test/meetings/{other.id}" in text
    for absent in ("Na de week", "Gaat niet door", "Niet van Eva", "Al ingevuld", "Te laat"):
        assert absent not in text
    assert "Date polls waiting for your answers" in text
    polls = week["polls"]
    assert ("Planning januari (Schulden Zwolle), closes on Saturday, December 12, 2026, "
            "11:00\u202fPM") in text
    assert f"http://leerkring.test/polls/{polls['open'].id}" in text
    assert "Thema voorjaar (Armoede Twente)" in text
    assert "New members in circles you coordinate" in text
    assert "Armoede Twente: 1 new member" in text
    assert f"http://leerkring.test/circles/{week['armoede'].id}/members" in text
    assert "Nieuw" not in text  # names stay in Leerkring
    html = received[0].get_body(preferencelist=("html",)).get_content()
    assert f'<a href="http://leerkring.test/meetings/{soon.id}">Intervisie december' in html


def test_a_member_sees_no_coordinators_section(app, week, mailbox):
    tick(app, MONDAY)
    text = mailbox.text(digests(mailbox, week["old"])[0])
    assert "Intervisie december" in text
    assert "New members" not in text


def test_nothing_is_sent_when_there_is_nothing_to_tell(app, week, mailbox):
    quiet = f.make_user(locale="en")
    tick(app, MONDAY)
    assert digests(mailbox, quiet) == []
    assert [row.status for row in rows(quiet)] == [DeliveryStatus.CANCELLED]


def test_never_means_never(app, week, mailbox):
    never(week["eva"])
    tick(app, MONDAY)
    assert digests(mailbox, week["eva"]) == []
    assert rows(week["eva"]) == []
    assert len(digests(mailbox, week["old"])) == 1


def test_choosing_never_after_it_was_planned_stops_it(app, week, mailbox):
    tick(app, MONDAY - timedelta(hours=12))
    assert [row.due_at for row in rows(week["eva"])] == [MONDAY]
    never(week["eva"])
    tick(app, MONDAY)
    assert digests(mailbox, week["eva"]) == []


def test_once_a_week_however_often_the_scheduler_ticks(app, week, mailbox):
    tick(app, MONDAY - timedelta(hours=20))
    tick(app, MONDAY)
    tick(app, MONDAY)
    tick(app, MONDAY + timedelta(hours=3))
    assert len(digests(mailbox, week["eva"])) == 1
    f.make_meeting(week["armoede"], title="Volgende week",
                   starts_at=datetime(2026, 12, 16, 18, 30, tzinfo=UTC))
    tick(app, MONDAY + timedelta(days=7))
    tick(app, MONDAY + timedelta(days=7))
    received = digests(mailbox, week["eva"])
    assert len(received) == 2
    assert "Volgende week" in mailbox.text(received[1])
    assert [row.occurrence_key for row in rows(week["eva"])] == ["2026-W50", "2026-W51"]


def test_not_sent_a_day_late(app, week, mailbox):
    tick(app, MONDAY + timedelta(hours=24))
    assert digests(mailbox, week["eva"]) == []


@pytest.mark.parametrize(
    "zone, monday, due_at",
    [
        # Winter: Amsterdam is UTC+1.
        ("Europe/Amsterdam", datetime(2027, 3, 22), datetime(2027, 3, 22, 7, 0, tzinfo=UTC)),
        # Summer time began on Sunday 28 March: UTC+2.
        ("Europe/Amsterdam", datetime(2027, 3, 29), datetime(2027, 3, 29, 6, 0, tzinfo=UTC)),
        ("Europe/Amsterdam", datetime(2027, 6, 7), datetime(2027, 6, 7, 6, 0, tzinfo=UTC)),
        # The reader's own zone, not the platform's.
        ("America/New_York", datetime(2026, 12, 7), datetime(2026, 12, 7, 13, 0, tzinfo=UTC)),
        ("Asia/Tokyo", datetime(2026, 12, 7), datetime(2026, 12, 6, 23, 0, tzinfo=UTC)),
    ],
)
def test_monday_at_eight_in_the_readers_zone(app, zone, monday, due_at):
    reader = f.make_user(timezone=zone)
    tick(app, (monday - timedelta(hours=6)).replace(tzinfo=UTC))
    planned = rows(reader)
    assert [(row.due_at, row.expires_at) for row in planned] == [
        (due_at, due_at + timedelta(hours=24))
    ]
    assert planned[0].occurrence_key == digest.week_key(monday.date())
    assert planned[0].channel == Channel.EMAIL
    assert (planned[0].subject_type, planned[0].subject_id) == ("user", reader.id)


def test_iso_week_keys():
    assert digest.week_key(datetime(2026, 12, 7).date()) == "2026-W50"
    assert digest.week_key(datetime(2027, 1, 4).date()) == "2027-W01"
    assert digest.week_key(datetime(2026, 12, 28).date()) == "2026-W53"


def test_due_runs_one_query_and_none_midweek(app, count_queries):
    def count(now):
        scope = Scope(now, now + timedelta(hours=24))
        with count_queries() as counter:
            found = [due for due in digest.due(scope) if scope.wants(due)]
        return counter.count, len(found)

    f.make_user()
    small = count(MONDAY - timedelta(hours=1))
    for _n in range(10):
        f.make_user(timezone="America/New_York")
    large = count(MONDAY - timedelta(hours=1))
    assert small[0] == large[0] == 1
    assert (small[1], large[1]) == (1, 11)
    assert count(MONDAY + timedelta(days=2)) == (0, 0)


def test_the_quiet_part_of_the_week_is_quiet_in_every_zone(app):
    zones = [ZoneInfo(name) for name in ("Pacific/Kiritimati", "Etc/GMT+12", "Europe/Amsterdam",
                                         "America/New_York", "Asia/Tokyo")]
    start, quiet = datetime(2026, 11, 30, tzinfo=UTC), 0
    for hour in range(14 * 24):
        now = start + timedelta(hours=hour)
        scope = Scope(now, now + timedelta(hours=24))
        if digest._could_be_due(scope):
            continue
        quiet += 1
        for zone in zones:
            for monday in digest._mondays_around(now, zone):
                due_at = digest.moment(monday, zone)
                assert not scope.wants(Due(1, 1, due_at, due_at + digest.VALID_FOR))
    assert quiet > 14 * 24 / 2


def test_areas_add_sections_without_the_digest_knowing_them(app, week, mailbox, monkeypatch):
    def extra(user, since, until):
        assert (since, until) == (MONDAY - timedelta(days=7), MONDAY)
        return DigestSection("From elsewhere", [DigestItem("Something new", "/elsewhere")])

    monkeypatch.setitem(digest.DIGEST_SECTIONS, "tests.extra", extra)
    quiet = f.make_user(locale="en")
    tick(app, MONDAY)
    text = mailbox.text(digests(mailbox, quiet)[0])
    assert "From elsewhere" in text and "http://leerkring.test/elsewhere" in text
