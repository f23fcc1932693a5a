"""Offering a visit, approval both ways, access, editing, cancelling, the .ics."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.visits.models import Audience, Visit, VisitStatus
from tests.factories import (
    make_admin,
    make_user,
    make_visit,
    make_werkplaats_admin,
    theme,
    werkplaats,
)

EN = {"Accept-Language": "en"}


def as_user(client, login, user):
    client.post("/account/logout")
    if user is not None:
        login(user)


def future_day(days=10) -> date:
    return (datetime.now(UTC) + timedelta(days=days)).date()


def offer_data(**kw) -> dict:
    data = {
        "title": "Buurtteam aan de keukentafel",
        "description": "Je ziet hoe wij met ervaringsdeskundigen samenwerken.",
        "themes": [str(theme().id)],
        "host_organisation": "Buurtteam Oost",
        "day": future_day().isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "place_address": "Stationsplein 12, Enschede",
        "online_url": "",
        "max_places": "8",
        "audiences": ["professionals", "students"],
        "language": "nl",
        "accessibility": "Rolstoeltoegankelijk.",
    }
    data.update(kw)
    return data


def visits() -> list[Visit]:
    db.session.expire_all()
    return db.session.execute(sa.select(Visit).order_by(Visit.starts_at)).scalars().all()


def set_approval(slug, value):
    place = werkplaats(slug)
    place.visits_need_approval = value
    db.session.commit()


# Offering -------------------------------------------------------------------------------------


def test_offer_form_shows_in_english(app, client, login):
    login(make_user())
    page = client.get("/visits/new", headers=EN)
    assert "Offer a kitchen visit" in page.text
    assert "Another date" in page.text and 'name="audiences"' in page.text


def test_offer_with_approval_is_pending_and_stored_with_its_details(app, client, login):
    set_approval("twente", True)
    host = make_user()
    login(host)
    response = client.post("/visits/new", data=offer_data())
    assert response.status_code == 303
    [visit] = visits()
    assert visit.status == VisitStatus.PENDING
    assert visit.host_id == host.id and visit.werkplaats_id == host.home_werkplaats_id
    assert [t.slug for t in visit.themes] == ["armoede"]
    assert {a.audience for a in visit.audiences} == {Audience.PROFESSIONALS, Audience.STUDENTS}
    assert visit.max_places == 8 and visit.host_organisation == "Buurtteam Oost"
    # 10:00 in Amsterdam, stored as UTC.
    local = visit.starts_at.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert (local.hour, local.minute) == (10, 0)
    page = client.get(response.headers["Location"], headers=EN)
    assert "waits for approval" in page.text and "/approve" not in page.text


def test_offer_without_approval_is_published_at_once(app, client, login):
    set_approval("twente", False)
    login(make_user())
    client.post("/visits/new", data=offer_data())
    [visit] = visits()
    assert visit.status == VisitStatus.PUBLISHED and visit.decided_at is not None


def test_several_dates_make_several_visits_sharing_an_offer(app, client, login):
    login(make_user())
    client.post("/visits/new", data=offer_data(
        day_2=future_day(17).isoformat(), day_3=future_day(24).isoformat()))
    made = visits()
    assert len(made) == 3
    assert len({v.offer_key for v in made}) == 1
    page = client.get(f"/visits/{made[0].id}", headers=EN)
    assert "Also on" in page.text and f"/visits/{made[1].id}" in page.text


def test_offer_errors_are_shown_next_to_fields_and_input_kept(app, client, login):
    login(make_user())
    response = client.post("/visits/new", headers=EN, data=offer_data(
        title="", place_address="", online_url="", end_time="09:00",
        day=(date.today() - timedelta(days=3)).isoformat(),
        description="Kijk mee met onze aanpak.",
    ))
    assert response.status_code == 422
    assert "Give the visit a title." in response.text
    assert "Give an address, an online link, or both." in response.text
    assert "The end time must be after the start time." in response.text
    assert "Kijk mee met onze aanpak." in response.text
    assert visits() == []


def test_offer_passes_the_privacy_guard(app, client, login):
    login(make_user())
    response = client.post("/visits/new", headers=EN, data=offer_data(
        description="Bel mevrouw Jansen op 06-12345678."))
    assert response.status_code == 422
    assert "The privacy guard found" in response.text
    assert visits() == []
    response = client.post("/visits/new", headers=EN, data=offer_data(
        description="Bel mevrouw Jansen op 06-12345678.", pseudonymised="y"))
    assert response.status_code == 303


def test_offer_needs_a_werkplaats(app, client, login):
    login(make_user(home_werkplaats=None))
    assert client.get("/visits/new").status_code == 403


def test_anonymous_is_sent_to_login(app, client):
    host = make_user()
    visit = make_visit(host)
    for path in ("/visits/new", f"/visits/{visit.id}", "/visits/pending"):
        response = client.get(path)
        assert response.status_code in (302, 303) and "/account/login" in response.headers[
            "Location"]


# Approval --------------------------------------------------------------------------------------


def test_werkplaats_admin_sees_and_approves_pending_visits(app, client, login):
    host = make_user()
    visit = make_visit(host, status=VisitStatus.PENDING)
    admin = make_werkplaats_admin("twente")
    login(admin)
    page = client.get("/visits/pending", headers=EN)
    assert visit.title in page.text
    own = client.get(f"/visits/{visit.id}", headers=EN)
    assert f"/visits/{visit.id}/approve" in own.text and "/visits/pending" in own.text
    response = client.post(f"/visits/{visit.id}/approve")
    assert response.status_code == 303
    db.session.expire_all()
    assert visit.status == VisitStatus.PUBLISHED and visit.decided_by_id == admin.id


def test_decline_with_a_reason_tells_the_host(app, client, login, mailbox):
    host = make_user()
    visit = make_visit(host, status=VisitStatus.PENDING)
    login(make_werkplaats_admin("twente"))
    client.post(f"/visits/{visit.id}/decline", data={"reason": "Te weinig informatie."})
    db.session.expire_all()
    assert visit.status == VisitStatus.DECLINED
    [message] = mailbox.to(host.email)
    assert "Te weinig informatie." in mailbox.text(message)


def test_admin_of_another_werkplaats_cannot_approve(app, client, login):
    visit = make_visit(make_user(), status=VisitStatus.PENDING)
    login(make_werkplaats_admin("flevoland"))
    assert visit.title not in client.get("/visits/pending").text
    assert client.post(f"/visits/{visit.id}/approve").status_code == 404
    db.session.expire_all()
    assert visit.status == VisitStatus.PENDING


def test_pending_page_is_for_admins_only(app, client, login):
    login(make_user())
    assert client.get("/visits/pending").status_code == 403


def test_werkplaats_admin_turns_approval_off(app, client, login):
    set_approval("twente", True)
    admin = make_werkplaats_admin("twente")
    place = werkplaats("twente")
    login(admin)
    client.post(f"/werkplaatsen/{place.id}/visit-approval", data={})
    db.session.expire_all()
    assert werkplaats("twente").visits_need_approval is False
    client.post(f"/werkplaatsen/{place.id}/visit-approval",
                data={f"w{place.id}-visits_need_approval": "y"})
    db.session.expire_all()
    assert werkplaats("twente").visits_need_approval is True
    other = werkplaats("flevoland")
    assert client.post(f"/werkplaatsen/{other.id}/visit-approval").status_code == 403


ACCESS = [
    # who, pending visible, published visible, can manage
    ("host", True, True, True),
    ("member", False, True, False),
    ("werkplaats_admin", True, True, True),
    ("other_werkplaats_admin", False, True, False),
    ("admin", True, True, True),
]


@pytest.mark.parametrize(("who", "sees_pending", "sees_published", "manages"), ACCESS)
def test_access_to_pending_and_published_visits(app, client, login, who, sees_pending,
                                                sees_published, manages):
    host = make_user()
    people = {
        "host": host,
        "member": make_user(),
        "werkplaats_admin": make_werkplaats_admin("twente"),
        "other_werkplaats_admin": make_werkplaats_admin("flevoland"),
        "admin": make_admin(),
    }
    pending = make_visit(host, status=VisitStatus.PENDING)
    published = make_visit(host)
    login(people[who])
    assert (client.get(f"/visits/{pending.id}").status_code == 200) == sees_pending
    if not sees_pending:
        assert client.get(f"/visits/{pending.id}").status_code == 404
    assert (client.get(f"/visits/{published.id}").status_code == 200) == sees_published
    assert (client.get(f"/visits/{published.id}/edit").status_code == 200) == manages
    assert (client.get(f"/visits/{published.id}/visitors").status_code == 200) == manages


# The page, editing, cancelling -----------------------------------------------------------------


def test_visit_page_shows_details_but_not_the_host_address(app, client, login):
    host = make_user(name="Hanna Host")
    visit = make_visit(host, host_organisation="Buurtteam Oost", max_places=5,
                       accessibility="Lift aanwezig.", themes=[theme()])
    login(make_user())
    page = client.get(f"/visits/{visit.id}", headers=EN)
    for text in (visit.title, "Hanna Host", "Buurtteam Oost", "Lift aanwezig.",
                 "5 places left", theme().name, werkplaats("twente").name):
        assert text in page.text
    assert host.email not in page.text


def test_visit_page_runs_a_fixed_number_of_queries(app, client, login, count_queries):
    from leerkring.visits import services

    host = make_user()
    visit = make_visit(host, max_places=2)
    viewer = make_user()
    login(viewer)

    def count():
        with count_queries() as counter:
            assert client.get(f"/visits/{visit.id}").status_code == 200
        return counter.count

    small = count()
    for _ in range(6):
        services.sign_up(visit, make_user())
        db.session.commit()
    make_visit(host, offer_key=visit.offer_key)
    make_visit(host, offer_key=visit.offer_key)
    assert count() == small


def test_edit_keeps_input_on_errors_and_a_new_time_raises_the_sequence(app, client, login):
    host = make_user()
    visit = make_visit(host)
    login(host)
    form = client.get(f"/visits/{visit.id}/edit", headers=EN)
    assert visit.title in form.text
    bad = client.post(f"/visits/{visit.id}/edit", headers=EN,
                      data=offer_data(title="Nieuwe titel", place_address="", online_url=""))
    assert bad.status_code == 422 and "Nieuwe titel" in bad.text
    client.post(f"/visits/{visit.id}/edit", data=offer_data(title="Nieuwe titel",
                                                            start_time="13:00",
                                                            end_time="15:00"))
    db.session.expire_all()
    assert visit.title == "Nieuwe titel" and visit.sequence == 1
    assert visit.changed_at is not None


def test_edit_of_the_title_only_keeps_the_sequence(app, client, login):
    host = make_user()
    login(host)
    client.post("/visits/new", data=offer_data())
    [visit] = visits()
    client.post(f"/visits/{visit.id}/edit", data=offer_data(title="Andere titel"))
    db.session.expire_all()
    assert visit.title == "Andere titel" and visit.sequence == 0 and visit.changed_at is None


def test_cancel_asks_first_then_shows_the_notice(app, client, login):
    host = make_user()
    visit = make_visit(host)
    login(host)
    confirm = client.get(f"/visits/{visit.id}/cancel", headers=EN)
    assert "Cancel the visit" in confirm.text
    client.post(f"/visits/{visit.id}/cancel")
    db.session.expire_all()
    assert visit.status == VisitStatus.CANCELLED and visit.sequence == 1
    as_user(client, login, make_user())
    page = client.get(f"/visits/{visit.id}", headers=EN)
    assert "This visit is cancelled." in page.text


def test_other_member_cannot_cancel(app, client, login):
    visit = make_visit(make_user())
    login(make_user())
    assert client.post(f"/visits/{visit.id}/cancel").status_code == 403


def test_ics_has_the_event_in_amsterdam_time(app, client, login):
    host = make_user()
    visit = make_visit(host, starts_at=datetime(2030, 6, 3, 8, 0, tzinfo=UTC))
    login(make_user())
    response = client.get(f"/visits/{visit.id}.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    body = response.text
    assert f"UID:visit-{visit.id}@" in body
    assert "DTSTART;TZID=Europe/Amsterdam:20300603T100000" in body
    assert "SUMMARY:" + visit.title in body and "STATUS:CONFIRMED" in body
    assert "BEGIN:VTIMEZONE" in body


def test_ics_of_a_pending_visit_is_hidden(app, client, login):
    visit = make_visit(make_user(), status=VisitStatus.PENDING)
    login(make_user())
    assert client.get(f"/visits/{visit.id}.ics").status_code == 404
