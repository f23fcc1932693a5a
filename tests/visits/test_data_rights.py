"""Kitchen visits in a user's data rights: the export holds their hosted visits, sign-ups with
learning goals and reports with responses and circles; the delete page counts what happens;
deleting the account withdraws coming sign-ups (the first who waits gets the place), deletes
the reports, cancels coming hosted visits and keeps past ones without a host."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.visits import services
from leerkring.visits.models import (
    ReportCircle,
    Visit,
    VisitReport,
    VisitSignup,
    VisitStatus,
)
from tests.factories import PASSWORD, make_circle, make_user, make_visit, theme, werkplaats

EN = {"Accept-Language": "en"}


def delete_account(client):
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 303
    return response


def past_visit(host, **kw):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)
    return make_visit(host, starts_at=start, **kw)


def came(visit, user, goal="Leren hoe zij het doen."):
    signup = VisitSignup(visit_id=visit.id, user_id=user.id, has_place=True,
                         learning_goal=goal)
    db.session.add(signup)
    visit.places_taken += 1
    db.session.commit()
    return signup


def sign_up(visit, user, goal="Ik wil zien hoe het werkt."):
    signup = services.sign_up(visit, user, goal)
    db.session.commit()
    return signup


@pytest.fixture
def world(app):
    """Anna (Twente) came to Bart's visit in Zwolle and reported; she has a place at Bart's full
    coming visit, where Wim waits; she hosts a coming visit (Cor signed up) and a past one."""
    bart = make_user(name="Bart", home_werkplaats=werkplaats("regio-zwolle"))
    anna = make_user(name="Anna")
    wim, cor = make_user(name="Wim"), make_user(name="Cor")
    circle = make_circle(members=[anna], name="Kring Hengelo")
    visited = past_visit(bart, title="Ervaringsdeskundigen in het wijkteam")
    came(visited, anna, goal="Hoe zij samen een huisbezoek doen.")
    report = VisitReport(visit_id=visited.id, author_id=anna.id, saw="Een teamoverleg.",
                         surprised="Hoe vanzelfsprekend het was.", take_home="Vaker vragen.",
                         response="Dank je, kom terug!", responded_at=datetime.now(UTC),
                         is_offered_to_library=True, library_consent_at=datetime.now(UTC))
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportCircle(report_id=report.id, circle_id=circle.id))
    db.session.commit()
    full = make_visit(bart, title="Spreekuur in Zwolle", max_places=1)
    sign_up(full, anna, goal="Hoe het spreekuur loopt.")
    sign_up(full, wim)
    hosted = make_visit(anna, title="Bij de voedselbank", themes=[theme("armoede")],
                        max_places=4)
    sign_up(hosted, cor)
    hosted_past = past_visit(anna, title="Buurtkamer Hengelo")
    return {"anna": anna, "bart": bart, "wim": wim, "cor": cor, "circle": circle,
            "visited": visited, "report": report, "full": full, "hosted": hosted,
            "hosted_past": hosted_past}


def test_the_export_holds_hosted_visits_sign_ups_and_reports(client, login, world):
    login(world["anna"])
    data = client.get("/account/export").json["visits"]

    assert [v["title"] for v in data["hosted"]] == ["Buurtkamer Hengelo", "Bij de voedselbank"]
    hosted = data["hosted"][1]
    assert hosted["themes"] == ["Armoede"] and hosted["werkplaats"] == "Twente"
    assert hosted["status"] == "published"
    assert [(s["visit"], s["learning_goal"], s["has_place"]) for s in data["sign_ups"]] == [
        ("Ervaringsdeskundigen in het wijkteam", "Hoe zij samen een huisbezoek doen.", True),
        ("Spreekuur in Zwolle", "Hoe het spreekuur loopt.", True),
    ]
    [report] = data["reports"]
    assert report["visit"] == "Ervaringsdeskundigen in het wijkteam"
    assert (report["saw"], report["surprised"], report["take_home"]) == (
        "Een teamoverleg.", "Hoe vanzelfsprekend het was.", "Vaker vragen.")
    assert report["response"] == "Dank je, kom terug!"
    assert report["is_offered_to_library"] and report["library_consent_at"]
    assert [c["circle"] for c in report["circles"]] == ["Kring Hengelo"]


def test_the_export_holds_the_hosts_responses_but_not_others_reports(client, login, world):
    login(world["bart"])
    data = client.get("/account/export").json["visits"]
    assert data["reports"] == [] and data["sign_ups"] == []
    assert data["responses"][0]["response"] == "Dank je, kom terug!"
    assert "Een teamoverleg." not in client.get("/account/export").text


def test_the_delete_page_counts_what_happens(client, login, world):
    login(world["anna"])
    text = client.get("/account/delete", headers=EN).text
    assert "Your coming kitchen visit is cancelled; those signed up are told." in text
    assert "Your past kitchen visit stays for its visitors and their reports" in text
    assert "Your sign-up for a coming kitchen visit is withdrawn" in text
    assert "Your kitchen visit report is deleted, also from the circles" in text


def test_the_delete_page_says_nothing_of_visits_to_a_newcomer(client, login, app):
    login(make_user())
    assert "kitchen visit" not in client.get("/account/delete", headers=EN).text


def test_deleting_the_account_gives_the_place_to_the_first_who_waits(client, login, world):
    login(world["anna"])
    delete_account(client)
    db.session.expire_all()

    full = db.session.get(Visit, world["full"].id)
    [wim] = db.session.scalars(sa.select(VisitSignup).filter_by(visit_id=full.id)).all()
    assert wim.user_id == world["wim"].id
    assert wim.has_place and wim.waitlisted_at is None and wim.promoted_at is not None
    assert full.places_taken == 1
    assert ("visit_waitlist_place", full.id) in planned_for(world["wim"])


def planned_for(user) -> set[tuple[str, int]]:
    from leerkring.notifications.models import Delivery

    rows = db.session.execute(
        sa.select(Delivery.kind, Delivery.subject_id).where(Delivery.user_id == user.id)
    )
    return {(kind, subject_id) for kind, subject_id in rows}


def test_deleting_the_account_cancels_coming_hosted_visits_and_keeps_past_ones(
    client, login, world
):
    hosted_id, past_id = world["hosted"].id, world["hosted_past"].id
    login(world["anna"])
    delete_account(client)
    db.session.expire_all()

    hosted = db.session.get(Visit, hosted_id)
    past = db.session.get(Visit, past_id)
    assert hosted.status == VisitStatus.CANCELLED and hosted.sequence == 1
    assert hosted.changed_at is not None
    assert past.status == VisitStatus.PUBLISHED and past.host_id is None
    assert hosted.host_id is None
    # Cor's sign-up stays, and the cancellation reaches him.
    assert db.session.scalar(sa.select(VisitSignup.user_id).filter_by(visit_id=hosted_id)) == (
        world["cor"].id)
    assert ("visit_cancelled", hosted_id) in planned_for(world["cor"])


def test_deleting_the_account_deletes_the_reports_and_past_sign_ups(client, login, world):
    from leerkring.notifications.models import Notification

    report_id, visited_id = world["report"].id, world["visited"].id
    db.session.add(Notification(user_id=world["bart"].id, kind="visit_report_written",
                                url=f"/visits/reports/{report_id}"))
    db.session.commit()
    login(world["anna"])
    delete_account(client)
    db.session.expire_all()

    assert db.session.get(VisitReport, report_id) is None
    assert db.session.scalars(sa.select(Notification)).all() == []
    assert db.session.scalars(sa.select(ReportCircle)).all() == []
    assert db.session.scalars(sa.select(VisitSignup).filter_by(visit_id=visited_id)).all() == []
    assert db.session.get(Visit, visited_id).host_id == world["bart"].id
