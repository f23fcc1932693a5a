"""Kitchen visit reminders: planned at the right local instant (across a change of the clocks,
in another zone), only for whom they are meant, following the visit when it moves or is
cancelled, and arriving by mail (a real SMTP server) in Dutch and English without the learning
goal or anything of a report."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from markupsafe import escape

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import outbox
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus
from leerkring.notifications.registry import KINDS, Scope
from leerkring.visits import report_services, services
from leerkring.visits.models import Visit, VisitReport, VisitStatus
from tests.factories import make_circle, make_user, make_visit, werkplaats
from tests.meetings.reminder_helpers import EN, amsterdam, notices, tick, utc

AMS = "Europe/Amsterdam"
CURACAO = "America/Curacao"
LEARNING_GOAL = "Hoe jullie schuldhulp en wijkteam aan één tafel krijgen"
REPORT_TEXT = "De wijkkaart aan de muur van het buurtteam"
RESPONSE_TEXT = "Fijn dat je de wijkkaart meeneemt"
VISIT_KINDS = ("visit_soon", "visit_waitlist_place", "visit_changed", "visit_cancelled",
               "write_visit_report", "visit_report_written", "visit_report_answered")


@pytest.fixture
def people(app):
    """A host in Twente and four people from Zuyd: Anna, Bram, Cor (signed up or not) and
    Dirk."""
    host = make_user(name="Gastvrouw Gea")
    zuyd = werkplaats("zuyd")
    return host, [make_user(name=name, home_werkplaats=zuyd)
                  for name in ("Anna", "Bram", "Cor", "Dirk")]


def visit_at(host, start: datetime, zone=AMS, hours=2, **fields) -> Visit:
    fields.setdefault("title", "Keukentafel bij het buurtteam")
    return make_visit(host, starts_at=start, ends_at=start + timedelta(hours=hours),
                      timezone=zone, **fields)


def sign_up(visit, *users):
    for user in users:
        services.sign_up(visit, user, LEARNING_GOAL)
    db.session.commit()


def rows(kind, user=None, visit=None, status=None, channel=Channel.EMAIL) -> list[Delivery]:
    db.session.expire_all()
    statement = sa.select(Delivery).where(
        Delivery.kind == kind, Delivery.subject_type == "visit"
    ).order_by(Delivery.due_at, Delivery.id)
    if channel is not None:
        statement = statement.where(Delivery.channel == channel)
    if user is not None:
        statement = statement.where(Delivery.user_id == user.id)
    if visit is not None:
        statement = statement.where(Delivery.subject_id == visit.id)
    if status is not None:
        statement = statement.where(Delivery.status == status)
    return list(db.session.execute(statement).scalars())


def pending(kind, user=None, visit=None) -> list[Delivery]:
    return rows(kind, user, visit, DeliveryStatus.PENDING)


def moments(kind, user, visit) -> list[datetime]:
    return [row.due_at for row in pending(kind, user, visit)]


def recipients(kind, visit, status=DeliveryStatus.PENDING) -> set[int]:
    return {row.user_id for row in rows(kind, visit=visit, status=status)}


def ids(*users) -> set[int]:
    return {user.id for user in users}


def visit_mails(mailbox, visit):
    return [m for m in mailbox.messages if visit.title in m["Subject"]]


def parts(message) -> list[str]:
    return [part.get_content() for part in message.walk()
            if part.get_content_maintype() == "text" and part.get_content_subtype() != "calendar"]


# When: local instants -----------------------------------------------------------------------------

# Clocks go back on Sunday 31 October 2027 and forward on Sunday 28 March 2027 (Amsterdam).
SOON = [
    # (visit start in Amsterdam, two days before 09:00 local, 07:30 local that morning)
    ((2027, 10, 29, 10, 0), utc(2027, 10, 27, 7, 0), utc(2027, 10, 29, 5, 30)),
    ((2027, 11, 1, 10, 0), utc(2027, 10, 30, 7, 0), utc(2027, 11, 1, 6, 30)),
    ((2027, 11, 2, 10, 0), utc(2027, 10, 31, 8, 0), utc(2027, 11, 2, 6, 30)),
    ((2027, 3, 29, 10, 0), utc(2027, 3, 27, 8, 0), utc(2027, 3, 29, 5, 30)),
    ((2027, 3, 30, 10, 0), utc(2027, 3, 28, 7, 0), utc(2027, 3, 30, 5, 30)),
]


@pytest.mark.parametrize(("start", "two_days_before", "morning"), SOON)
def test_coming_up_two_days_before_at_nine_and_that_morning_at_half_past_seven_local(
    people, start, two_days_before, morning
):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(*start))
    sign_up(visit, anna)
    assert moments("visit_soon", anna, visit) == [two_days_before, morning]
    first, second = pending("visit_soon", anna, visit)
    assert (first.occurrence_key, second.occurrence_key) == ("two_days:0", "morning:0")
    assert (first.expires_at, second.expires_at) == (morning, visit.starts_at)
    assert [row.channel for row in rows("visit_soon", anna, visit, channel=None)].count(
        Channel.INAPP) == 2


def test_an_early_visit_is_reminded_an_hour_before_instead_of_at_half_past_seven(people):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 8, 15))
    sign_up(visit, anna)
    assert moments("visit_soon", anna, visit) == [utc(2027, 10, 31, 8, 0), utc(2027, 11, 2, 6, 15)]
    at_half_past = visit_at(host, amsterdam(2027, 11, 3, 8, 30))
    sign_up(at_half_past, anna)
    assert moments("visit_soon", anna, at_half_past)[1] == utc(2027, 11, 3, 6, 30)


def test_a_visit_in_another_zone_is_reminded_on_its_own_wall_clock(people):
    host, (anna, *_) = people
    # Willemstad keeps UTC-4 all year: 10:00 there is 14:00 UTC, also across Amsterdam's change.
    visit = visit_at(host, datetime(2027, 11, 2, 10, 0, tzinfo=ZoneInfo(CURACAO)), zone=CURACAO)
    sign_up(visit, anna)
    assert moments("visit_soon", anna, visit) == [
        utc(2027, 10, 31, 13, 0), utc(2027, 11, 2, 11, 30)]
    assert moments("write_visit_report", anna, visit) == [utc(2027, 11, 3, 13, 0)]


def test_the_hour_comes_from_the_config(app, people):
    app.config["REMINDER_MEETING_HOUR"] = 10
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna)
    assert moments("visit_soon", anna, visit)[0] == utc(2027, 10, 31, 9, 0)


@pytest.mark.parametrize(("end", "day_after"), [
    # The day after at 09:00 local: on Sunday 31 October 2027 winter time has begun.
    ((2027, 10, 30, 12, 0), utc(2027, 10, 31, 8, 0)),
    ((2027, 10, 29, 23, 30), utc(2027, 10, 30, 7, 0)),
    ((2027, 3, 27, 12, 0), utc(2027, 3, 28, 7, 0)),
])
def test_write_your_report_the_day_after_at_nine_local(people, end, day_after):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(*end) - timedelta(hours=2))
    sign_up(visit, anna)
    [row] = pending("write_visit_report", anna, visit)
    assert row.due_at == day_after
    assert row.expires_at == day_after + timedelta(days=14)


# Whom ---------------------------------------------------------------------------------------------


def test_coming_up_and_the_report_only_for_those_with_a_place(people):
    host, (anna, bram, cor, _dirk) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0), max_places=1)
    sign_up(visit, anna, bram)  # Bram waits
    assert recipients("visit_soon", visit) == ids(anna)
    assert recipients("write_visit_report", visit) == ids(anna)
    for kind in ("visit_waitlist_place", "visit_changed", "visit_cancelled"):
        assert pending(kind, visit=visit) == []
    assert not {host.id, cor.id} & recipients("visit_soon", visit)


def test_a_sign_up_after_a_moment_is_not_reminded_of_it_late(people):
    host, (anna, *_) = people
    visit = visit_at(host, utcnow() + timedelta(days=1, hours=3))
    sign_up(visit, anna)
    # Two days before lies in the past: signing up said it all; the morning still comes.
    [row] = pending("visit_soon", anna, visit)
    assert row.occurrence_key == "morning:0"


def test_a_pending_visit_plans_nothing_until_approved(people):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna)
    visit.status = VisitStatus.PENDING
    services.replan([visit.id])
    db.session.commit()
    assert pending("visit_soon", anna, visit) == []
    services.approve(visit, host)
    db.session.commit()
    assert len(pending("visit_soon", anna, visit)) == 2


# Changes ------------------------------------------------------------------------------------------


def test_a_moved_visit_plans_anew_and_tells_everyone_signed_up_once(people, mailbox):
    host, (anna, bram, cor, _dirk) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0), max_places=1)
    sign_up(visit, anna, bram)
    new_start = amsterdam(2027, 11, 9, 13, 0)
    assert services.update_visit(visit, starts_at=new_start,
                                 ends_at=new_start + timedelta(hours=2))
    db.session.commit()
    assert {row.status for row in rows("visit_soon", anna, visit)
            if row.occurrence_key.endswith(":0")} == {DeliveryStatus.CANCELLED}
    assert moments("visit_soon", anna, visit) == [utc(2027, 11, 7, 8, 0), utc(2027, 11, 9, 6, 30)]
    assert {row.occurrence_key for row in pending("visit_soon", anna, visit)} == {
        "two_days:1", "morning:1"}
    [changed] = pending("visit_changed", anna, visit)
    assert (changed.occurrence_key, changed.due_at) == ("1", visit.changed_at)
    assert recipients("visit_changed", visit) == ids(anna, bram)  # the waitlist too, not Cor

    sign_up(visit, cor)  # after the change: nothing to tell
    assert cor.id not in recipients("visit_changed", visit)
    now = utcnow() + timedelta(minutes=1)
    tick(now)
    tick(now + timedelta(minutes=5))
    changed_mails = [m["To"] for m in visit_mails(mailbox, visit)]
    assert sorted(changed_mails) == sorted([anna.email, bram.email])
    assert recipients("visit_changed", visit, DeliveryStatus.SENT) == ids(anna, bram)


def test_two_quick_changes_send_one_notice_about_the_last(people):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna)
    services.update_visit(visit, place_address="Marktstraat 3, Almelo")
    services.update_visit(visit, place_address="Marktstraat 5, Almelo")
    db.session.commit()
    [row] = pending("visit_changed", anna, visit)
    assert row.occurrence_key == "2"


def test_a_change_of_the_title_tells_nobody(people):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna)
    assert not services.update_visit(visit, title="Kijken in de keuken van het buurtteam")
    db.session.commit()
    assert rows("visit_changed", visit=visit) == []
    assert {row.occurrence_key for row in pending("visit_soon", anna, visit)} == {
        "two_days:0", "morning:0"}


def test_cancelling_the_visit_tells_everyone_signed_up_and_stops_the_reminders(
    people, mailbox
):
    host, (anna, bram, cor, _dirk) = people
    for user in (anna, bram):
        user.locale = "en"
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0), max_places=1)
    sign_up(visit, anna, bram)
    services.cancel_visit(visit)
    db.session.commit()
    assert pending("visit_soon", visit=visit) == []
    assert pending("write_visit_report", visit=visit) == []
    assert recipients("visit_cancelled", visit) == ids(anna, bram)
    tick(utcnow() + timedelta(minutes=1))
    mails = visit_mails(mailbox, visit)
    assert sorted(m["To"] for m in mails) == sorted([anna.email, bram.email])
    assert all(m["Subject"].startswith("Cancelled: kitchen visit") for m in mails)
    calendar = [p for p in mails[0].iter_attachments()][0].get_content()
    assert "STATUS:CANCELLED" in calendar
    [notice] = notices(anna, "visit_cancelled")
    assert notice.params["title"] == visit.title and "2027" in notice.params["day"]
    assert cor.id not in recipients("visit_cancelled", visit, DeliveryStatus.SENT)


def test_withdrawing_a_sign_up_cancels_its_reminders(people):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna)
    services.cancel_signup(visit, anna)
    db.session.commit()
    assert pending("visit_soon", anna, visit) == []
    assert {row.status for row in rows("visit_soon", anna, visit)} == {DeliveryStatus.CANCELLED}


def test_the_pages_plan_what_their_services_change(client, login, people):
    """Sign-up, withdrawing and the host's cancelling, through the pages: each commit carries
    its reminders."""
    host, (anna, bram, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0), max_places=1)
    def as_user(user):
        client.post("/account/logout")
        login(user)

    for user in (anna, bram):
        as_user(user)
        client.post(f"/visits/{visit.id}/signup", data={"learning_goal": LEARNING_GOAL})
    assert recipients("visit_soon", visit) == ids(anna)
    as_user(anna)
    client.post(f"/visits/{visit.id}/signup/cancel")
    assert recipients("visit_soon", visit) == ids(bram)
    assert recipients("visit_waitlist_place", visit) == ids(bram)
    as_user(host)
    client.post(f"/visits/{visit.id}/cancel")
    assert recipients("visit_cancelled", visit) == ids(bram)
    assert pending("visit_soon", visit=visit) == []


# The waitlist -------------------------------------------------------------------------------------


def test_a_place_from_the_waitlist_is_told_to_the_promoted_one_only(people, mailbox):
    host, (anna, bram, cor, _dirk) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0), max_places=1)
    sign_up(visit, anna, bram, cor)  # Bram and Cor wait
    assert pending("visit_waitlist_place", visit=visit) == []
    services.cancel_signup(visit, anna)
    db.session.commit()
    [row] = pending("visit_waitlist_place", visit=visit)
    promoted_at = services.signup_of(visit, bram).promoted_at
    assert (row.user_id, row.due_at, row.expires_at) == (bram.id, promoted_at, visit.starts_at)
    assert row.occurrence_key == promoted_at.astimezone(UTC).replace(tzinfo=None).isoformat(
        timespec="microseconds")
    assert recipients("visit_soon", visit) == ids(bram)
    tick(utcnow() + timedelta(minutes=1))
    [mail] = visit_mails(mailbox, visit)
    assert mail["To"] == bram.email
    with force_locale("nl"):
        expected = gettext("You have a place: kitchen visit %(title)s, %(when)s",
                           title=visit.title, when="dinsdag 2 november 2027, 10:00")
    assert mail["Subject"] == expected
    assert notices(bram, "visit_waitlist_place") and not notices(cor, "visit_waitlist_place")


def test_more_places_promote_and_tell_the_waiting(people):
    host, (anna, bram, cor, _dirk) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0), max_places=1)
    sign_up(visit, anna, bram, cor)
    services.update_visit(visit, max_places=2)
    db.session.commit()
    assert recipients("visit_waitlist_place", visit) == ids(bram)
    assert rows("visit_changed", visit=visit) == []


# Reports ------------------------------------------------------------------------------------------


def write_report(visit, author, *, replan=True) -> VisitReport:
    report = VisitReport(visit_id=visit.id, author_id=author.id, saw=REPORT_TEXT,
                         surprised="Iets verrassends", take_home="Iets om mee te nemen")
    db.session.add(report)
    db.session.flush()
    if replan:
        outbox.replan("visit", [visit.id])
    db.session.commit()
    return report


def test_the_report_reminder_skips_whom_wrote_one(people, mailbox):
    host, (anna, bram, cor, _dirk) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna, bram, cor)
    write_report(visit, anna)
    assert recipients("write_visit_report", visit) == ids(bram, cor)
    write_report(visit, bram, replan=False)  # written, not yet replanned: render says nothing
    tick(utc(2027, 11, 3, 8, 1))
    assert [m["To"] for m in visit_mails(mailbox, visit)] == [cor.email]
    assert recipients("write_visit_report", visit, DeliveryStatus.CANCELLED) >= ids(anna, bram)
    [notice] = notices(cor, "write_visit_report")
    assert notice.url.endswith(f"/visits/{visit.id}#reports")


def test_a_written_report_tells_the_host_and_a_response_tells_the_author(app, people, mailbox):
    host, (anna, *_) = people
    host.locale = "en"
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna)
    report = write_report(visit, anna)
    [row] = pending("visit_report_written", visit=visit)
    assert (row.user_id, row.occurrence_key, row.due_at) == (host.id, str(report.id),
                                                             report.created_at)
    assert pending("visit_report_answered", visit=visit) == []
    report.response = RESPONSE_TEXT
    report.responded_at = utcnow()
    outbox.replan("visit", [visit.id])
    db.session.commit()
    [answered] = pending("visit_report_answered", visit=visit)
    assert answered.user_id == anna.id and answered.due_at == report.responded_at
    tick(utcnow() + timedelta(minutes=1))
    [to_host] = mailbox.to(host.email)
    [to_anna] = [m for m in mailbox.to(anna.email) if visit.title in m["Subject"]]
    assert to_host["Subject"] == f"A report on your kitchen visit {visit.title}"
    assert visit.title in to_anna["Subject"]
    for message in (to_host, to_anna):
        for text in parts(message):
            assert REPORT_TEXT not in text and RESPONSE_TEXT not in text
            assert "Iets verrassends" not in text and LEARNING_GOAL not in text
            assert f"/visits/reports/{report.id}" in text
    [notice] = notices(host, "visit_report_written")
    assert notice.url == f"/visits/reports/{report.id}"
    assert notices(anna, "visit_report_answered")[0].url == notice.url
    # Deleting the report takes its notices along (the reports' service finds them by link).
    with app.test_request_context():
        report_services.delete_report(db.session.get(VisitReport, report.id))
        db.session.commit()
    assert notices(host, "visit_report_written") == []


# Mail ---------------------------------------------------------------------------------------------


def test_coming_up_arrives_in_dutch_and_english_with_title_and_time_not_the_learning_goal(
    people, mailbox
):
    host, (anna, bram, *_) = people
    anna.locale = "en"
    bram.locale = "nl"
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0),
                     place_address="Stationsplein 12, Enschede")
    sign_up(visit, anna, bram)
    tick(utc(2027, 10, 31, 7, 59))
    assert visit_mails(mailbox, visit) == []
    tick(utc(2027, 10, 31, 8, 0))
    tick(utc(2027, 10, 31, 8, 5))
    [english] = [m for m in mailbox.to(anna.email) if visit.title in m["Subject"]]
    [dutch] = [m for m in mailbox.to(bram.email) if visit.title in m["Subject"]]
    assert english["Subject"] == (
        f"Reminder: kitchen visit {visit.title}, Tuesday, November 2, 2027, 10:00\u202fAM")
    with force_locale("nl"):
        assert dutch["Subject"] == gettext("Reminder: kitchen visit %(title)s, %(when)s",
                                     title=visit.title, when="dinsdag 2 november 2027, 10:00")
    english_text, english_html = parts(english)
    dutch_text, dutch_html = parts(dutch)
    for text in (english_text, english_html, dutch_text, dutch_html):
        assert visit.title in text and "Stationsplein 12, Enschede" in text
        assert LEARNING_GOAL not in text and "Kijk mee bij ons buurtteam" not in text
        assert f"/visits/{visit.id}" in text
    assert "When: Tuesday, November 2, 2027, 10:00\u202fAM–12:00\u202fPM" in english_text
    assert "dinsdag 2 november 2027, 10:00" in dutch_text
    assert "<html" in english_html and "Stop reminders like this one" in english_html
    [calendar] = [p for p in english.iter_attachments()]
    assert calendar.get_content_type() == "text/calendar"
    [notice] = notices(anna, "visit_soon")
    assert notice.params["title"] == visit.title


def test_the_morning_reminder_arrives_once_and_a_missed_one_is_not_sent_late(people, mailbox):
    host, (anna, *_) = people
    visit = visit_at(host, amsterdam(2027, 11, 2, 10, 0))
    sign_up(visit, anna)
    # The scheduler did not run two days before: that reminder is not sent with the morning's.
    for minute in (0, 5, 10):
        tick(utc(2027, 11, 2, 6, 30 + minute))
    [mail] = visit_mails(mailbox, visit)
    assert mail["To"] == anna.email
    two_days, morning = rows("visit_soon", anna, visit)
    assert (two_days.status, morning.status) == (DeliveryStatus.EXPIRED, DeliveryStatus.SENT)


def test_the_settings_page_lists_the_visit_kinds(client, login, people):
    _host, (anna, *_) = people
    login(anna)
    page = client.get("/notifications/preferences", headers=EN).text
    with force_locale("en"):
        positions = [page.index(str(escape(KINDS[name].label))) for name in VISIT_KINDS]
        # Together, each naming the kitchen visit: no other kind between them.
        others = [page.index(str(escape(kind.label))) for kind in KINDS.values()
                  if kind.is_optional and kind.subject_type != "visit"]
    assert positions == sorted(positions)
    assert others and not [p for p in others if positions[0] < p < positions[-1]]
    with force_locale("en"):
        assert all("kitchen visit" in str(KINDS[name].label) for name in VISIT_KINDS)


def test_a_circles_reminder_settings_do_not_offer_the_visit_kinds(client, login, people):
    host, _visitors = people
    circle = make_circle(coordinator=host)
    login(host)
    page = client.get(f"/notifications/circles/{circle.id}", headers=EN).text
    assert "A meeting is coming up" in page
    assert "kitchen visit" not in page


# Queries ------------------------------------------------------------------------------------------


def many_visits(host, visitors, n) -> list[Visit]:
    visits = []
    for i in range(n):
        visit = visit_at(host, amsterdam(2027, 11, 2 + i, 10, 0), max_places=2)
        sign_up(visit, *visitors)
        services.update_visit(visit, place_address=f"Straat {i}")
        db.session.commit()
        write_report(visit, visitors[0])
        report = db.session.execute(sa.select(VisitReport).filter_by(
            visit_id=visit.id, author_id=visitors[0].id)).scalar_one()
        report.responded_at = utcnow()
        db.session.commit()
        visits.append(visit)
    return visits


def queries_per_kind(count_queries, visits) -> dict[str, int]:
    visit_ids = [v.id for v in visits]
    counts = {}
    for name in VISIT_KINDS:
        for scope in (Scope(utcnow(), None, visit_ids),
                      Scope(utcnow(), utc(2028, 12, 1))):
            db.session.expire_all()
            with count_queries() as counter:
                dues = list(KINDS[name].due(scope))
            counts[f"{name} {scope.subject_ids is None}"] = counter.count
            if name not in ("visit_cancelled", "visit_waitlist_place"):
                assert dues, name
    return counts


def test_due_runs_the_same_queries_for_few_and_many_visits(people, count_queries):
    host, visitors = people
    small = queries_per_kind(count_queries, many_visits(host, visitors[:2], 1))
    more = [make_user(name=f"Bezoeker {n}") for n in range(6)]
    large = queries_per_kind(count_queries, many_visits(host, visitors + more, 8))
    assert small == large
    assert max(small.values()) == 1
