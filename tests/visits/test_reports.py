"""Visit reports: writing one after the visit (the privacy guard, the library's consent, bringing
it to circles), who may read it, the host's response, deleting it, putting it on a meeting's
agenda, and where it shows: the visit page, the circle page and its list, the meeting page."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.circles.models import CircleRole
from leerkring.extensions import db
from leerkring.meetings.models import MeetingStatus
from leerkring.notes.models import PrivacyConfirmation
from leerkring.notifications.models import Delivery, DeliveryStatus
from leerkring.permissions import can_view_report, visible_reports
from leerkring.visits.models import ReportCircle, VisitReport, VisitSignup, VisitStatus
from tests.factories import (
    add_member,
    make_admin,
    make_circle,
    make_meeting,
    make_user,
    make_visit,
    make_werkplaats_admin,
    werkplaats,
)

EN = {"Accept-Language": "en"}
NL = {"Accept-Language": "nl"}
HTMX = {"HX-Request": "true", "Accept-Language": "en"}
#: Passes the 11-proef: a citizen service number the guard refuses.
BSN = "111222333"
SAW = "Een buurtteam dat samen met bewoners de agenda van de wijk maakt."


def yesterday() -> datetime:
    return (datetime.now(UTC) - timedelta(days=1)).replace(hour=10, minute=0, second=0,
                                                            microsecond=0)


def visitor(slug: str = "noord"):
    return make_user(home_werkplaats=werkplaats(slug))


def past_visit(host=None, **kw):
    """A visit that took place yesterday, hosted in Twente."""
    return make_visit(host or make_user(), starts_at=yesterday(), **kw)


def give_place(visit, user, has_place=True) -> VisitSignup:
    signup = VisitSignup(visit_id=visit.id, user_id=user.id, has_place=has_place,
                         waitlisted_at=None if has_place else datetime.now(UTC))
    db.session.add(signup)
    db.session.commit()
    return signup


def make_report(visit, author=None, circles=(), meeting=None, **kw) -> VisitReport:
    author = author or visitor()
    kw.setdefault("saw", SAW)
    report = VisitReport(visit_id=visit.id, author_id=author.id, **kw)
    report.circles = [
        ReportCircle(circle_id=circle.id, meeting_id=meeting.id if meeting else None)
        for circle in circles
    ]
    db.session.add(report)
    db.session.commit()
    return report


def stored(report_id) -> VisitReport | None:
    db.session.expire_all()
    return db.session.get(VisitReport, report_id)


def report_by(visit, author) -> VisitReport | None:
    db.session.expire_all()
    return db.session.execute(
        sa.select(VisitReport).filter_by(visit_id=visit.id, author_id=author.id)
    ).scalar()


def report_data(**kw) -> dict:
    return {"saw": SAW, "surprised": "Hoe weinig regels er waren.",
            "take_home": "Bewoners eerder laten meepraten.", **kw}


# Writing ----------------------------------------------------------------------------------------


def test_visitor_writes_a_report_and_brings_it_to_a_circle(app, client, login):
    visit = past_visit(title="Buurtkamer De Esch")
    author = visitor()
    give_place(visit, author)
    circle = make_circle(members=[author], name="Armoede Noord")
    make_circle(name="Niet van mij")
    login(author)
    form = client.get(f"/visits/{visit.id}/report", headers=EN)
    assert form.status_code == 200 and "<html" in form.text
    for label in ("What I saw", "What surprised me", "What I take home", "Bring it to my circles",
                  "Offer this report to the national library",
                  "I agree that this report may be published in the library under my name",
                  "Save report", "Armoede Noord"):
        assert label in form.text
    assert "Niet van mij" not in form.text
    response = client.post(f"/visits/{visit.id}/report",
                           data=report_data(circles=[str(circle.id)]))
    assert response.status_code == 303
    report = report_by(visit, author)
    assert response.headers["Location"].endswith(f"/visits/reports/{report.id}")
    assert report.saw == SAW and report.take_home == "Bewoners eerder laten meepraten."
    assert [link.circle_id for link in report.circles] == [circle.id]
    assert not report.is_offered_to_library and report.library_consent_at is None
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Buurtkamer De Esch" in page.text and "Twente" in page.text
    assert author.name in page.text and "Hoe weinig regels er waren." in page.text
    assert "Armoede Noord" in page.text and "Edit your report" in page.text


def test_the_report_form_as_a_fragment(app, client, login):
    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    login(author)
    fragment = client.get(f"/visits/{visit.id}/report", headers=HTMX)
    assert "<html" not in fragment.text and 'id="report-form"' in fragment.text
    page = client.get(f"/visits/{visit.id}/report", headers=EN)
    assert "<html" in page.text and 'id="report-form"' in page.text


def test_errors_are_shown_next_to_the_fields_and_the_input_is_kept(app, client, login):
    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    login(author)
    data = report_data(saw="", offer_to_library="y")
    response = client.post(f"/visits/{visit.id}/report", data=data, headers=EN)
    assert response.status_code == 422
    assert "Write what you saw." in response.text
    assert 'id="saw-error"' in response.text
    assert "tick this box to agree" in response.text
    assert "Hoe weinig regels er waren." in response.text
    fragment = client.post(f"/visits/{visit.id}/report", data=data, headers=HTMX)
    assert fragment.status_code == 422 and "<html" not in fragment.text
    assert 'id="report-form"' in fragment.text
    assert report_by(visit, author) is None


def test_only_my_own_circles_can_be_chosen(app, client, login):
    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    other = make_circle(name="Van een ander")
    login(author)
    response = client.post(f"/visits/{visit.id}/report",
                           data=report_data(circles=[str(other.id)]), headers=EN)
    assert response.status_code == 422 and "Choose among your own circles." in response.text
    assert report_by(visit, author) is None


def test_the_guard_refuses_a_bsn(app, client, login):
    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    login(author)
    response = client.post(f"/visits/{visit.id}/report", headers=EN, data=report_data(
        surprised=f"Mevrouw met nummer {BSN} kwam ook.", pseudonymised="y"))
    assert response.status_code == 422
    assert "is a citizen service number (BSN)" in response.text
    assert f"Mevrouw met nummer {BSN} kwam ook." in response.text
    assert report_by(visit, author) is None


def test_the_guard_asks_to_confirm_a_phone_number(app, client, login):
    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    login(author)
    data = report_data(take_home="Bel de wijkcoach op 06-12345678.")
    response = client.post(f"/visits/{visit.id}/report", data=data, headers=EN)
    assert response.status_code == 422
    assert "The privacy guard found a phone number." in response.text
    assert report_by(visit, author) is None
    response = client.post(f"/visits/{visit.id}/report", data={**data, "pseudonymised": "y"})
    assert response.status_code == 303
    report = report_by(visit, author)
    confirmation = db.session.execute(
        sa.select(PrivacyConfirmation).filter_by(subject_type="visit_report",
                                                 subject_id=report.id)
    ).scalar_one()
    assert confirmation.user_id == author.id and confirmation.kinds == "phone"


def test_offering_to_the_library_needs_and_stores_consent_and_withdrawing_clears_it(
        app, client, login):
    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    login(author)
    data = report_data(offer_to_library="y", library_consent="y")
    assert client.post(f"/visits/{visit.id}/report", data=data).status_code == 303
    report = report_by(visit, author)
    assert report.is_offered_to_library and report.library_consent_at is not None
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Offered to the national library" in page.text
    edit = client.get(f"/visits/{visit.id}/report", headers=EN)
    assert "Edit your report" in edit.text and SAW in edit.text
    assert client.post(f"/visits/{visit.id}/report", data=report_data()).status_code == 303
    report = report_by(visit, author)
    assert not report.is_offered_to_library and report.library_consent_at is None


def test_a_report_sent_twice_at_once_keeps_the_first(app, client, login, monkeypatch):
    from leerkring.visits import report_queries

    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    first = make_report(visit, author)
    # The second request looked before the first one was stored.
    monkeypatch.setattr(report_queries, "report_of", lambda visit, user: None)
    login(author)
    response = client.post(f"/visits/{visit.id}/report", headers=EN,
                           data=report_data(saw="Een tweede versie."))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/visits/{visit.id}/report")
    assert stored(first.id).saw == SAW
    assert db.session.execute(sa.select(sa.func.count(VisitReport.id))).scalar() == 1


def test_who_may_write_a_report(app, client, login):
    host = make_user()
    visit = past_visit(host)
    coming = make_visit(host)
    cancelled = past_visit(host, status=VisitStatus.CANCELLED)
    with_place, waiting, stranger = visitor(), visitor(), visitor()
    give_place(visit, with_place)
    give_place(coming, with_place)
    give_place(cancelled, with_place)
    give_place(visit, waiting, has_place=False)
    login(with_place)
    assert client.get(f"/visits/{visit.id}/report").status_code == 200
    assert client.get(f"/visits/{coming.id}/report").status_code == 403
    assert client.get(f"/visits/{cancelled.id}/report").status_code == 403
    for user in (waiting, stranger, host):
        client.post("/account/logout")
        login(user)
        response = client.post(f"/visits/{visit.id}/report", data=report_data())
        assert response.status_code == 403
    assert db.session.execute(sa.select(sa.func.count(VisitReport.id))).scalar() == 0


def deliveries(kind: str) -> list:
    db.session.expire_all()
    return list(db.session.execute(sa.select(Delivery).filter_by(kind=kind)).scalars())


def test_a_report_and_a_response_plan_their_notices_and_deleting_cancels_them(
        app, client, login):
    host = make_user()
    visit = past_visit(host)
    author = visitor()
    give_place(visit, author)
    login(author)
    client.post(f"/visits/{visit.id}/report", data=report_data())
    written = deliveries("visit_report_written")
    assert written and {d.user_id for d in written} == {host.id}
    assert {d.subject_id for d in written} == {visit.id}
    report_id = report_by(visit, author).id
    client.post("/account/logout")
    login(host)
    client.post(f"/visits/reports/{report_id}/response", data={"response": "Dank je wel."})
    answered = deliveries("visit_report_answered")
    assert answered and {d.user_id for d in answered} == {author.id}
    client.post("/account/logout")
    login(author)
    client.post(f"/visits/reports/{report_id}/delete")
    assert all(d.status != DeliveryStatus.PENDING for d in deliveries("visit_report_written"))


# Who reads a report -----------------------------------------------------------------------------


def test_who_may_read_a_report(app, client, login):
    host = make_user()
    visit = past_visit(host)
    author = visitor()
    attached_member, unattached_member, other_visitor = visitor(), visitor(), visitor()
    attached = make_circle(members=[author, attached_member])
    make_circle(members=[author, unattached_member])
    give_place(visit, other_visitor)
    report = make_report(visit, author, circles=[attached])
    werkplaats_admin = make_werkplaats_admin("twente")
    other_admin = make_werkplaats_admin("noord")
    association_admin = make_admin()
    allowed = {"author": author, "host": host, "Werkplaats admin": werkplaats_admin,
               "association admin": association_admin, "member of the circle": attached_member}
    refused = {"member of another circle": unattached_member, "other visitor": other_visitor,
               "admin of another Werkplaats": other_admin}
    for role, user in {**allowed, **refused}.items():
        login(user)
        page = client.get(f"/visits/reports/{report.id}", headers=EN)
        if role in allowed:
            assert page.status_code == 200 and SAW in page.text, role
        else:
            assert page.status_code == 404, role
        client.post("/account/logout")
    anonymous = client.get(f"/visits/reports/{report.id}")
    assert anonymous.status_code == 302 and "/account/login" in anonymous.headers["Location"]


def test_the_list_condition_agrees_with_the_rule(app, client):
    from flask_login import AnonymousUserMixin

    host = make_user()
    visit = past_visit(host)
    author, member, outsider = visitor(), visitor(), visitor()
    circle = make_circle(members=[author, member])
    brought = make_report(visit, author, circles=[circle])
    kept = make_report(visit)
    users = [host, author, member, outsider, make_werkplaats_admin("twente"),
             make_werkplaats_admin("noord"), make_admin(), AnonymousUserMixin()]
    for user in users:
        listed = set(db.session.execute(
            sa.select(VisitReport.id).where(visible_reports(user))).scalars())
        expected = {report.id for report in (brought, kept) if can_view_report(user, report)}
        assert listed == expected
    assert can_view_report(member, brought) and not can_view_report(member, kept)
    assert not can_view_report(outsider, brought)


def test_the_visit_page_lists_the_reports_the_viewer_may_see(app, client, login):
    host = make_user()
    visit = past_visit(host)
    author, member, writer = visitor(), visitor(), visitor()
    circle = make_circle(members=[author, member])
    make_report(visit, author, circles=[circle])
    make_report(visit, saw="Een verslag dat niemand anders leest.")
    give_place(visit, writer)
    login(host)
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert 'id="reports"' in page.text
    assert page.text.count('class="report-item"') == 2
    assert "Write your report" not in page.text
    client.post("/account/logout")
    login(member)
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert page.text.count('class="report-item"') == 1 and author.name in page.text
    client.post("/account/logout")
    login(writer)
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert "Write your report" in page.text and 'class="report-item"' not in page.text
    client.post(f"/visits/{visit.id}/report", data=report_data())
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert "Edit your report" in page.text and page.text.count('class="report-item"') == 1


def test_before_the_visit_a_visitor_with_a_place_learns_a_report_follows(app, client, login):
    visit = make_visit(make_user())
    guest = visitor()
    give_place(visit, guest)
    login(guest)
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert 'id="reports"' in page.text and "After the visit you write a short report" in page.text
    assert "Write your report" not in page.text


# The host's response ----------------------------------------------------------------------------


def test_the_host_responds_and_changes_the_response(app, client, login):
    host = make_user()
    visit = past_visit(host)
    author = visitor()
    report = make_report(visit, author)
    login(host)
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Send the response" in page.text
    response = client.post(f"/visits/reports/{report.id}/response",
                           data={"response": "Dank voor je komst!"})
    assert response.status_code == 303
    saved = stored(report.id)
    assert saved.response == "Dank voor je komst!" and saved.responded_at is not None
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "The host's response" in page.text and "Dank voor je komst!" in page.text
    assert "Change your response" in page.text
    client.post(f"/visits/reports/{report.id}/response", data={"response": "Graag tot ziens."})
    assert stored(report.id).response == "Graag tot ziens."
    client.post("/account/logout")
    login(author)
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Graag tot ziens." in page.text and "Send the response" not in page.text
    refused = client.post(f"/visits/reports/{report.id}/response", data={"response": "Zelf."})
    assert refused.status_code == 403 and stored(report.id).response == "Graag tot ziens."


def test_the_response_shows_its_errors_in_place_and_passes_the_guard(app, client, login):
    host = make_user()
    report = make_report(past_visit(host))
    login(host)
    empty = client.post(f"/visits/reports/{report.id}/response", data={"response": ""},
                        headers=HTMX)
    assert empty.status_code == 422 and "<html" not in empty.text
    assert 'id="report-response"' in empty.text and "Write your response." in empty.text
    page = client.post(f"/visits/reports/{report.id}/response", headers=EN,
                       data={"response": f"Haar BSN is {BSN}.", "pseudonymised": "y"})
    assert page.status_code == 422 and "<html" in page.text
    assert "is a citizen service number (BSN)" in page.text and f"Haar BSN is {BSN}." in page.text
    assert stored(report.id).response == ""


# Deleting ---------------------------------------------------------------------------------------


def test_the_author_deletes_the_report_after_confirming(app, client, login):
    host = make_user()
    visit = past_visit(host)
    author = visitor()
    circle = make_circle(members=[author])
    report = make_report(visit, author, circles=[circle])
    db.session.add(PrivacyConfirmation(user_id=author.id, subject_type="visit_report",
                                       subject_id=report.id, kinds="phone"))
    db.session.commit()
    login(host)
    assert client.get(f"/visits/reports/{report.id}/delete").status_code == 403
    assert client.post(f"/visits/reports/{report.id}/delete").status_code == 403
    client.post("/account/logout")
    login(author)
    confirm = client.get(f"/visits/reports/{report.id}/delete", headers=EN)
    assert confirm.status_code == 200 and "This cannot be undone." in confirm.text
    assert stored(report.id) is not None
    report_id, visit_id = report.id, visit.id
    response = client.post(f"/visits/reports/{report_id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/visits/{visit_id}")
    assert stored(report_id) is None
    assert db.session.execute(sa.select(sa.func.count()).select_from(ReportCircle)).scalar() == 0
    assert db.session.execute(
        sa.select(sa.func.count()).select_from(PrivacyConfirmation)).scalar() == 0
    assert client.get(f"/visits/{visit_id}/report").status_code == 403  # no place: no new one


# Circles and meetings ---------------------------------------------------------------------------


def test_the_author_puts_the_report_on_a_coming_meeting_of_the_circle(app, client, login):
    visit = past_visit(title="Buurtkamer De Esch")
    author, member = visitor(), visitor()
    circle = make_circle(members=[author, member], name="Armoede Noord")
    coming = make_meeting(circle, title="Bijeenkomst maart")
    make_meeting(circle, title="Al geweest", starts_at=yesterday())
    make_meeting(circle, title="Gaat niet door", status=MeetingStatus.CANCELLED)
    elsewhere = make_meeting(make_circle(members=[author]), title="Andere kring")
    report = make_report(visit, author, circles=[circle])
    login(author)
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Bijeenkomst maart" in page.text and "Put on the agenda" in page.text
    assert "Al geweest" not in page.text and "Gaat niet door" not in page.text
    prefix = f"agenda-{circle.id}-"
    wrong = client.post(f"/visits/reports/{report.id}/agenda", headers=HTMX,
                        data={"circle": circle.id, prefix + "meeting": elsewhere.id})
    assert wrong.status_code == 422 and 'id="report-circles"' in wrong.text
    assert "Choose one of the circle's coming meetings." in wrong.text
    response = client.post(f"/visits/reports/{report.id}/agenda",
                           data={"circle": circle.id, prefix + "meeting": coming.id})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ReportCircle, (report.id, circle.id)).meeting_id == coming.id
    client.post("/account/logout")
    login(member)
    meeting_page = client.get(f"/meetings/{coming.id}", headers=EN)
    assert "Visit reports on the agenda" in meeting_page.text
    assert "Buurtkamer De Esch" in meeting_page.text
    assert client.post(f"/visits/reports/{report.id}/agenda",
                       data={"circle": circle.id, prefix + "meeting": ""}).status_code == 403


def test_a_coordinator_chooses_the_meeting_and_can_take_it_off(app, client, login):
    author, coordinator = visitor(), visitor()
    circle = make_circle(coordinator=coordinator, members=[author])
    meeting = make_meeting(circle)
    report = make_report(past_visit(), author, circles=[circle], meeting=meeting)
    login(coordinator)
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Put on the agenda" in page.text and "on the agenda of" in page.text
    response = client.post(f"/visits/reports/{report.id}/agenda",
                           data={"circle": circle.id, f"agenda-{circle.id}-meeting": ""})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ReportCircle, (report.id, circle.id)).meeting_id is None
    other = make_circle(members=[coordinator])
    missing = client.post(f"/visits/reports/{report.id}/agenda",
                          data={"circle": other.id, f"agenda-{other.id}-meeting": ""})
    assert missing.status_code == 404


def test_a_meeting_without_visible_reports_has_no_section(app, client, login):
    author = visitor()
    circle = make_circle(members=[author])
    meeting = make_meeting(circle)
    login(author)
    page = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert page.status_code == 200 and "Visit reports on the agenda" not in page.text


def test_the_circle_page_shows_the_latest_reports_to_members(app, client, login):
    author, member, outsider = visitor(), visitor(), visitor()
    circle = make_circle(members=[author, member])
    visits = [past_visit(title=f"Bezoek {n}") for n in range(4)]
    for visit in visits:
        make_report(visit, author, circles=[circle])
    login(member)
    page = client.get(f"/circles/{circle.id}", headers=EN)
    assert "Kitchen visit reports" in page.text
    assert page.text.count('class="report-item"') == 3 and "Bezoek 3" in page.text
    assert f"/circles/{circle.id}/visit-reports" in page.text
    client.post("/account/logout")
    login(outsider)
    page = client.get(f"/circles/{circle.id}", headers=EN)
    assert page.status_code == 200 and "Kitchen visit reports" not in page.text


def test_the_circle_page_tells_members_how_reports_arrive(app, client, login):
    member = visitor()
    circle = make_circle(members=[member])
    login(member)
    page = client.get(f"/circles/{circle.id}", headers=EN)
    assert "Nobody has brought a visit report to this circle yet." in page.text


def test_the_circle_reports_list_page_fragment_and_access(app, client, login):
    author, member, outsider = visitor(), visitor(), visitor()
    circle = make_circle(members=[author, member])
    meeting = make_meeting(circle, title="Bijeenkomst april")
    make_report(past_visit(title="Buurtkamer De Esch"), author, circles=[circle],
                meeting=meeting)
    make_report(past_visit(title="Niet gebracht"), author)
    login(member)
    page = client.get(f"/circles/{circle.id}/visit-reports", headers=EN)
    assert "<html" in page.text and "1 report" in page.text
    assert "Buurtkamer De Esch" in page.text and "Niet gebracht" not in page.text
    assert "On the agenda of Bijeenkomst april" in page.text
    fragment = client.get(f"/circles/{circle.id}/visit-reports", headers=HTMX)
    assert "<html" not in fragment.text and 'id="circle-reports"' in fragment.text
    client.post("/account/logout")
    login(outsider)
    assert client.get(f"/circles/{circle.id}/visit-reports").status_code == 404


class TestPaging:
    @pytest.fixture
    def app_overrides(self):
        return {"PER_PAGE": 2}

    def test_the_circle_list_is_paginated(self, app, client, login):
        author = visitor()
        circle = make_circle(members=[author])
        for n in range(3):
            make_report(past_visit(title=f"Bezoek {n}"), author, circles=[circle])
        login(author)
        first = client.get(f"/circles/{circle.id}/visit-reports", headers=EN)
        assert first.text.count('class="report-item"') == 2 and "Page 1 of 2" in first.text
        second = client.get(f"/circles/{circle.id}/visit-reports?page=2", headers=EN)
        assert second.text.count('class="report-item"') == 1


# Query counts -----------------------------------------------------------------------------------


def count_for(client, count_queries, url) -> int:
    with count_queries() as counter:
        response = client.get(url, headers=EN)
    assert response.status_code == 200
    return counter.count


def test_the_circle_list_runs_a_fixed_number_of_queries(app, client, login, count_queries):
    author = visitor()
    small, large = make_circle(members=[author]), make_circle(members=[author])
    make_report(past_visit(), author, circles=[small], meeting=make_meeting(small))
    meeting = make_meeting(large)
    for _ in range(8):
        make_report(past_visit(make_user()), visitor(), circles=[large], meeting=meeting)
    login(author)
    few = count_for(client, count_queries, f"/circles/{small.id}/visit-reports")
    many = count_for(client, count_queries, f"/circles/{large.id}/visit-reports")
    assert few == many
    few = count_for(client, count_queries, f"/circles/{small.id}")
    many = count_for(client, count_queries, f"/circles/{large.id}")
    assert few == many


def test_the_visit_page_runs_a_fixed_number_of_queries(app, client, login, count_queries):
    host = make_user()
    few_visit, many_visit = past_visit(host), past_visit(host)
    circle = make_circle(members=[host])
    make_report(few_visit, circles=[circle])
    for _ in range(8):
        make_report(many_visit, circles=[circle])
    login(host)
    few = count_for(client, count_queries, f"/visits/{few_visit.id}")
    many = count_for(client, count_queries, f"/visits/{many_visit.id}")
    assert few == many


# Languages --------------------------------------------------------------------------------------


def test_the_report_form_in_english_and_dutch(client, login):
    visit = past_visit()
    author = visitor()
    give_place(visit, author)
    login(author)
    english = client.get(f"/visits/{visit.id}/report", headers=EN)
    assert "Write your report" in english.text and "Save report" in english.text
    dutch = client.get(f"/visits/{visit.id}/report", headers=NL)
    assert "Schrijf je verslag" in dutch.text and "Wat ik zag" in dutch.text
    assert "Verslag opslaan" in dutch.text and "What I saw" not in dutch.text


def test_a_coordinator_role_is_read_from_the_membership(app):
    """``member_circle_roles`` tells coordinators apart (they choose the agenda)."""
    from leerkring.permissions import member_circle_roles

    user = visitor()
    led, joined = make_circle(coordinator=user), make_circle()
    add_member(joined, user, role=CircleRole.MEMBER)
    with app.test_request_context():
        assert member_circle_roles(user) == {led.id: True, joined.id: False}
