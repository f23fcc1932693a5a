"""Data rights: downloading my own data, and deleting my account as the preview said it would."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.accounts import data_rights
from leerkring.circles.models import CaseErasure, JoinMode
from leerkring.extensions import db
from leerkring.meetings import datepolls, rsvp
from leerkring.meetings.models import (
    Answer,
    Attendance,
    CheckInMethod,
    DatePoll,
    DatePollOption,
    PollAnswer,
    Rsvp,
)
from leerkring.models import (
    AuditEvent,
    CaseComment,
    CaseNote,
    Circle,
    Invitation,
    JoinRequest,
    Membership,
    Notification,
    PrivacyConfirmation,
    Reflection,
    User,
)
from leerkring.notes.erasure import case_path
from leerkring.notes.models import CaseStatus, Sharing
from leerkring.notifications import preferences
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus
from leerkring.notifications.registry import KINDS
from tests.accounts.helpers import ENGLISH
from tests.factories import (
    PASSWORD,
    make_case,
    make_circle,
    make_comment,
    make_invitation,
    make_join_request,
    make_meeting,
    make_reflection,
    make_user,
)

SECRET_OF_ANNA = "Anna's own situation: meneer B. belt elke nacht."


@pytest.fixture
def world():
    """Kim, who will leave, among Anna and Bram in two circles with opposite case policies."""
    kim = make_user(name="Kim Jansen", email="kim@example.org", organisation="Wijkteam Oost")
    anna = make_user(name="Anna de Boer", email="anna@example.org")
    bram = make_user(name="Bram Smit", email="bram@example.org")
    keeps = make_circle(anna, members=[kim, bram], name="Armoede Twente",
                        case_erasure=CaseErasure.ANONYMISE)
    deletes = make_circle(kim, members=[anna, bram], name="Schulden Oost",
                          case_erasure=CaseErasure.DELETE)
    elsewhere = make_circle(anna, name="Wonen Zuid", join_mode=JoinMode.ON_REQUEST)

    w = dict(kim=kim, anna=anna, bram=bram, keeps=keeps, deletes=deletes, elsewhere=elsewhere)
    w["kept_cases"] = [
        make_case(keeps, kim, title="Deur blijft dicht", situation="Kims situatie één."),
        make_case(keeps, kim, title="Afspraak vergeten", situation="Kims situatie twee."),
    ]
    w["draft"] = make_case(keeps, kim, title="Nog niet af", status=CaseStatus.DRAFT,
                           situation="Kims concept.")
    w["deleted_case"] = make_case(deletes, kim, title="Schuldhulp", situation="Kims schulden.")
    w["comment_on_deleted_case"] = make_comment(w["deleted_case"], bram, body="Bram reageert.")
    w["annas_case_deletes"] = make_case(deletes, anna, title="Annas casus",
                                        situation=SECRET_OF_ANNA)
    w["kims_comment_deletes"] = make_comment(w["annas_case_deletes"], kim, body="Kims vraag.")
    w["brams_reply"] = make_comment(w["annas_case_deletes"], bram, body="Brams antwoord.",
                                    parent_id=w["kims_comment_deletes"].id)
    w["annas_case_keeps"] = make_case(keeps, anna, title="Annas tweede casus",
                                      situation=SECRET_OF_ANNA)
    w["kims_comment_keeps"] = make_comment(w["annas_case_keeps"], kim, body="Kims tip.")
    w["annas_comment"] = make_comment(w["annas_case_keeps"], anna, body="Annas eigen woorden.")
    w["reflections"] = [
        make_reflection(kim, title="Wat mij verraste", parts={"answer": "Kims inzicht."}),
        make_reflection(kim, title="Gedeeld", sharing=Sharing.CIRCLE, circle=keeps,
                        parts={"answer": "Kims gedeelde les."}),
    ]
    w["annas_reflection"] = make_reflection(anna, title="Annas reflectie",
                                            parts={"answer": "Annas gedachten."})
    db.session.add_all([
        PrivacyConfirmation(user_id=kim.id, subject_type="case",
                            subject_id=w["kept_cases"][0].id, kinds="phone"),
        PrivacyConfirmation(user_id=bram.id, subject_type="comment",
                            subject_id=w["comment_on_deleted_case"].id, kinds="email"),
    ])
    meeting = make_meeting(deletes, max_places=1, title="Casusoverleg")
    rsvp.answer(meeting, kim, Answer.YES)
    rsvp.answer(meeting, bram, Answer.YES)
    past = make_meeting(keeps, title="Terugblik",
                        starts_at=datetime.now(UTC).replace(microsecond=0) - timedelta(days=7))
    db.session.add(Attendance(meeting_id=past.id, user_id=kim.id, method=CheckInMethod.BUTTON))
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    poll = DatePoll(circle_id=keeps.id, title="Datum voor de zomer", created_by_id=anna.id,
                    options=[DatePollOption(starts_at=start, ends_at=start + timedelta(hours=1))])
    db.session.add(poll)
    db.session.flush()
    datepolls.answer(poll.options[0], kim, PollAnswer.IF_NEED_BE)
    preferences.choose(kim, KINDS["meeting_soon"], Channel.EMAIL, False)
    db.session.commit()
    w["meeting"], w["poll"] = meeting, poll
    make_join_request(elsewhere, kim, message="Mag ik erbij?")
    w["invitation_to_kim"], _ = make_invitation(elsewhere, kim.email, invited_by=anna)
    w["invitation_by_kim"], _ = make_invitation(deletes, "nieuw@example.org", invited_by=kim)
    w["kept_case_ids"] = [case.id for case in w["kept_cases"]]
    w["id"] = {name: thing.id for name, thing in w.items() if hasattr(thing, "id")}
    return w


def count(model, *where) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)
                              ).scalar_one()


def audit_events(action: str) -> list[AuditEvent]:
    return db.session.execute(sa.select(AuditEvent).filter_by(action=action)).scalars().all()


def delete(client, password=PASSWORD, confirm="y", headers=None):
    data = {"password": password}
    if confirm:
        data["confirm"] = confirm
    return client.post("/account/delete", data=data, headers=headers or {})


# Export ------------------------------------------------------------------------------------------


class TestExport:
    def test_a_json_download_of_my_account(self, client, login, world):
        login(world["kim"])
        response = client.get("/account/export")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert re.fullmatch(r'attachment; filename="leerkring-export-\d{4}-\d\d-\d\d\.json"',
                            response.headers["Content-Disposition"])
        assert response.headers["Cache-Control"] == "no-store"
        data = json.loads(response.text)
        assert data["export"]["format"] == "leerkring"
        account = data["account"]
        assert account["email"] == "kim@example.org"
        assert account["name"] == "Kim Jansen"
        assert account["field_role"] == "professional"
        assert account["organisation"] == "Wijkteam Oost"
        assert account["home_werkplaats"] == "Twente"
        assert account["timezone"] == "Europe/Amsterdam"
        assert account["created_at"].startswith(str(datetime.now(UTC).year))
        assert "login" in [event["action"] for event in account["security_events"]]
        assert "password" not in response.text.replace('"password_changed"', "")
        assert world["kim"].password_hash not in response.text
        assert world["kim"].session_token not in response.text

    def test_memberships_answers_and_requests(self, client, login, world):
        login(world["kim"])
        data = client.get("/account/export").json
        assert [(m["circle"], m["role"]) for m in data["memberships"]] == [
            ("Armoede Twente", "member"), ("Schulden Oost", "coordinator")]
        assert data["join_requests"][0]["circle"] == "Wonen Zuid"
        assert data["join_requests"][0]["message"] == "Mag ik erbij?"
        assert data["invitations"][0]["invited_by"] == "Anna de Boer"
        answers = data["answers"]
        assert [(a["meeting"], a["answer"], a["has_place"]) for a in answers["meetings"]] == [
            ("Casusoverleg", "yes", True)]
        assert [(a["poll"], a["answer"]) for a in answers["date_polls"]] == [
            ("Datum voor de zomer", "if_need_be")]
        assert [(a["meeting"], a["is_present"]) for a in answers["attendance"]] == [
            ("Terugblik", True)]

    def test_cases_with_every_field_including_drafts(self, client, login, world):
        login(world["kim"])
        cases = client.get("/account/export").json["cases"]
        assert [(c["title"], c["status"], c["circle"]) for c in cases] == [
            ("Deur blijft dicht", "shared", "Armoede Twente"),
            ("Afspraak vergeten", "shared", "Armoede Twente"),
            ("Nog niet af", "draft", "Armoede Twente"),
            ("Schuldhulp", "shared", "Schulden Oost"),
        ]
        first = cases[0]
        assert first["situation"] == "Kims situatie één."
        assert first["question"].startswith("Hoe houd ik contact")
        assert set(first) >= {"method", "tried", "takeaway", "lesson", "expires_at",
                              "last_activity_at", "extended_at", "shared_at", "closed_at"}

    def test_comments_reflections_and_confirmations(self, client, login, world):
        login(world["kim"])
        data = client.get("/account/export").json
        assert [(c["body"], c["case"], c["reply_to"]) for c in data["comments"]] == [
            ("Kims vraag.", "Annas casus", None), ("Kims tip.", "Annas tweede casus", None)]
        assert [(r["title"], r["parts"], r["sharing"], r["circle"])
                for r in data["reflections"]] == [
            ("Wat mij verraste", {"answer": "Kims inzicht."}, "private", None),
            ("Gedeeld", {"answer": "Kims gedeelde les."}, "circle", "Armoede Twente"),
        ]
        assert data["privacy_confirmations"][0]["kinds"] == ["phone"]

    def test_notification_preferences(self, client, login, world):
        login(world["kim"])
        data = client.get("/account/export").json
        prefs = data["notification_preferences"]
        assert prefs["channels"]["meeting_soon"] == {"email": False, "inapp": True}
        assert prefs["channels"]["case_expiring"] == {"email": True, "inapp": True}
        assert prefs["digest"] in ("weekly", "never")
        assert data["calendar_feed"] is None
        assert data["notices"] == []

    def test_holds_nothing_of_another_user(self, client, login, world):
        login(world["kim"])
        text = client.get("/account/export").text
        for other in (SECRET_OF_ANNA, "Annas eigen woorden.", "Annas reflectie",
                      "Annas gedachten.", "anna@example.org", "bram@example.org",
                      "Brams antwoord.", "Bram reageert.", "nieuw@example.org"):
            assert other not in text

    def test_is_audited_without_content(self, client, login, world):
        login(world["kim"])
        client.get("/account/export")
        [event] = audit_events("data_export")
        assert event.user_id == world["kim"].id
        assert event.detail == ""

    def test_a_fixed_number_of_queries_whatever_the_data(self, client, login, world,
                                                         count_queries):
        login(world["kim"])
        with count_queries() as small:
            client.get("/account/export")
        for _ in range(5):
            case = make_case(world["keeps"], world["kim"])
            make_comment(case, world["kim"])
            make_reflection(world["kim"])
            make_circle(world["anna"], members=[world["kim"]])
        with count_queries() as large:
            client.get("/account/export")
        assert large.count == small.count


# The preview -------------------------------------------------------------------------------------


class TestPreview:
    def test_lists_the_consequences_with_counts(self, client, login, world):
        login(world["kim"])
        response = client.get("/account/delete", headers=ENGLISH)
        assert response.status_code == 200
        text = response.text
        assert "<h1>Delete my account</h1>" in text
        for line in (
            "no longer log in with kim@example.org",
            "Your 2 cases in “Armoede Twente” are anonymised: they stay for the circle without "
            "your name, as the circle chose.",
            "Your case in “Schulden Oost” is deleted, with the comments on it, as the circle "
            "chose.",
            "Your draft case is deleted: nobody else has seen it.",
            "Your comment in “Armoede Twente” is anonymised",
            "Your comment in “Schulden Oost” is deleted, as the circle chose; replies of others "
            "stay.",
            "Your 2 reflections are deleted, also those you shared.",
            "Your memberships of 2 circles end.",
            "Your request to join a circle is withdrawn.",
            "The invitation you sent that is still open stays valid, without your name.",
            "Your answer to 1 meeting is deleted.",
            "Your place at 1 coming meeting goes to the first on its waitlist, if any.",
            "Your answers to 1 date poll are deleted.",
            "Your attendance at 1 meeting is no longer recorded.",
            "Your notices and notification settings are deleted",
        ):
            assert line in text, line
        assert ('<p class="notice">You are the last coordinator of “Schulden Oost”: Anna de Boer, '
                "its longest-standing member, becomes coordinator in your place.</p>") in text
        assert 'name="password"' in text and 'name="confirm"' in text
        assert 'href="/account/export"' in text
        assert response.headers["Cache-Control"] == "no-store"

    def test_counts_in_a_fixed_number_of_queries(self, client, login, world, count_queries):
        login(world["kim"])
        with count_queries() as small:
            client.get("/account/delete")
        for _ in range(5):
            for circle in (world["keeps"], world["deletes"]):
                make_comment(make_case(circle, world["kim"]), world["kim"])
            make_reflection(world["kim"])
        with count_queries() as large:
            client.get("/account/delete")
        assert large.count == small.count

    def test_one_policy_for_the_whole_circle(self, client, login, world):
        world["deletes"].case_erasure = CaseErasure.ANONYMISE
        db.session.commit()
        login(world["kim"])
        text = client.get("/account/delete", headers=ENGLISH).text
        assert "Your case in “Schulden Oost” is anonymised" in text
        assert "Your comment in “Schulden Oost” is anonymised" in text
        assert "is deleted, with the comments" not in text

    def test_the_only_member_is_warned_that_the_circle_is_archived(self, client, login):
        alone = make_user()
        make_circle(alone, name="Eenling")
        login(alone)
        text = client.get("/account/delete", headers=ENGLISH).text
        assert "You are the only member of “Eenling”: the circle is archived." in text

    def test_nothing_to_say_for_a_new_account(self, client, login):
        login(make_user(email="nieuw@example.org"))
        text = client.get("/account/delete", headers=ENGLISH).text
        lines = re.findall(r"<li>(.*?)</li>", text.split('<ul class="consequences">')[1]
                           .split("</ul>")[0])
        assert lines == [
            "Your account and profile are deleted: you are logged out everywhere and can no "
            "longer log in with nieuw@example.org.",
            "Your notices and notification settings are deleted, and no reminder is sent to you "
            "any more.",
        ]
        assert 'class="notice"' not in text

    def test_in_dutch(self, client, login, world):
        login(world["kim"])
        text = client.get("/account/delete").text
        assert "<h1>Mijn account verwijderen</h1>" in text
        assert "kun je niet ongedaan maken" in text
        assert "Je wachtwoord" in text
        assert "Ik begrijp dat mijn account voorgoed wordt verwijderd" in text
        assert "kun je niet meer inloggen met kim@example.org" in text
        assert ("Je 2 casussen in “Armoede Twente” worden geanonimiseerd: ze blijven voor de "
                "leerkring bewaard zonder je naam, zoals de leerkring heeft gekozen.") in text
        assert "Je 2 reflecties worden verwijderd, ook die je hebt gedeeld." in text
        assert ("Je bent de laatste coördinator van “Schulden Oost”: Anna de Boer, die er het "
                "langst lid van is, wordt in jouw plaats coördinator.") in text

    def test_the_profile_links_to_both(self, client, login):
        login(make_user())
        text = client.get("/account/profile").text
        assert ('<a href="/account/export" download hx-boost="false">Mijn gegevens downloaden'
                "</a>") in text
        assert '<a href="/account/delete">Mijn account verwijderen</a>' in text
        english = client.get("/account/profile", headers=ENGLISH).text
        assert "Download my data</a>" in english and "Delete my account</a>" in english

    def test_needs_login(self, client):
        for path in ("/account/delete", "/account/export"):
            response = client.get(path)
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/account/login")


# Deleting ----------------------------------------------------------------------------------------


class TestRefusals:
    def test_a_wrong_password_keeps_everything(self, client, login, world):
        kim = world["kim"]
        login(kim)
        response = delete(client, password="niet mijn wachtwoord", headers=ENGLISH)
        assert response.status_code == 422
        assert ('<small id="password-error" class="field-error">This is not your password.'
                "</small>") in response.text
        assert 'checked' in response.text  # the confirmation is kept
        assert db.session.get(User, kim.id) is not None
        assert count(Reflection, Reflection.author_id == kim.id) == 2
        assert count(Membership, Membership.user_id == kim.id) == 2
        assert count(CaseNote, CaseNote.author_id == kim.id) == 4
        [refused] = audit_events("account_delete_refused")
        assert (refused.user_id, refused.detail) == (kim.id, "wrong password")
        assert client.get("/account/profile").status_code == 200

    def test_the_explicit_confirmation_is_needed(self, client, login, world):
        login(world["kim"])
        response = delete(client, confirm=None)
        assert response.status_code == 422
        assert "Vink dit vakje aan als je je account wilt verwijderen." in response.text
        assert db.session.get(User, world["kim"].id) is not None

    def test_an_empty_password_is_asked_for(self, client, login, world):
        login(world["kim"])
        response = delete(client, password="", headers=ENGLISH)
        assert response.status_code == 422
        assert "Enter your password." in response.text
        assert db.session.get(User, world["kim"].id) is not None


class TestDeleting:
    def test_the_account_goes_and_the_session_ends(self, client, login, world):
        kim_id = world["id"]["kim"]
        login(world["kim"])
        response = delete(client)
        assert response.status_code == 303
        assert response.headers["Location"] == "/"
        landing = client.get("/")
        assert "Je account is verwijderd. Bedankt dat je met ons hebt geleerd; tot ziens." in (
            landing.text)
        assert db.session.get(User, kim_id) is None
        again = client.get("/account/profile")
        assert again.status_code == 302
        assert again.headers["Location"].startswith("/account/login")

    def test_goodbye_in_english(self, client, login, world):
        login(world["kim"])
        delete(client, headers=ENGLISH)
        assert "Your account is deleted. Thank you for learning with us; goodbye." in client.get(
            "/", headers=ENGLISH).text

    def test_reflections_are_deleted(self, client, login, world):
        kim_id = world["id"]["kim"]
        login(world["kim"])
        delete(client)
        assert count(Reflection, Reflection.author_id == kim_id) == 0
        assert db.session.get(Reflection, world["id"]["annas_reflection"]) is not None

    def test_cases_and_comments_follow_their_circle(self, client, login, world):
        w = world
        login(w["kim"])
        delete(client)
        db.session.expire_all()
        for case_id in w["kept_case_ids"]:
            kept = db.session.get(CaseNote, case_id)
            assert kept.author_id is None
            assert kept.situation.startswith("Kims situatie")
        assert db.session.get(CaseNote, w["id"]["draft"]) is None
        assert db.session.get(CaseNote, w["id"]["deleted_case"]) is None
        assert db.session.get(CaseComment, w["id"]["comment_on_deleted_case"]) is None
        assert db.session.get(CaseComment, w["id"]["kims_comment_deletes"]) is None
        reply = db.session.get(CaseComment, w["id"]["brams_reply"])
        assert (reply.body, reply.parent_id, reply.author_id) == (
            "Brams antwoord.", None, w["id"]["bram"])
        anonymous = db.session.get(CaseComment, w["id"]["kims_comment_keeps"])
        assert (anonymous.body, anonymous.author_id) == ("Kims tip.", None)
        assert count(PrivacyConfirmation) == 0

    def test_notices_and_reminders_of_a_deleted_case_go(self, app, client, login, world):
        w = world
        anna = w["anna"]
        with app.test_request_context():
            paths = {case.id: case_path(case.id) for case in (w["deleted_case"],
                                                              w["kept_cases"][0])}
        for case_id, path in paths.items():
            db.session.add(Notification(user_id=anna.id, kind="case_expiring", url=path))
            db.session.add(Delivery(
                user_id=anna.id, kind="case_expiring", subject_type="case",
                subject_id=case_id, channel=Channel.EMAIL, due_at=datetime.now(UTC),
                expires_at=datetime.now(UTC) + timedelta(days=1)))
        db.session.commit()
        login(w["kim"])
        delete(client)
        assert [n.url for n in db.session.execute(sa.select(Notification).filter_by(
            user_id=anna.id, kind="case_expiring")).scalars()] == [
            paths[w["kept_case_ids"][0]]]
        statuses = dict(db.session.execute(sa.select(Delivery.subject_id, Delivery.status)
                                           .filter_by(user_id=anna.id)).all())
        assert statuses == {w["id"]["deleted_case"]: DeliveryStatus.CANCELLED,
                            w["kept_case_ids"][0]: DeliveryStatus.PENDING}

    def test_other_users_data_stays(self, client, login, world):
        w = world
        login(w["kim"])
        delete(client)
        db.session.expire_all()
        for case_id in (w["id"]["annas_case_deletes"], w["id"]["annas_case_keeps"]):
            kept = db.session.get(CaseNote, case_id)
            assert (kept.author_id, kept.situation) == (w["id"]["anna"], SECRET_OF_ANNA)
        assert db.session.get(CaseComment, w["id"]["annas_comment"]).body == "Annas eigen woorden."
        assert db.session.get(User, w["id"]["anna"]) is not None
        assert db.session.get(User, w["id"]["bram"]) is not None
        assert db.session.get(DatePoll, w["id"]["poll"]) is not None

    def test_the_circle_reads_what_was_anonymised(self, client, login, world):
        w = world
        login(w["kim"])
        delete(client)
        login(w["anna"])
        page = client.get(f"/notes/{w['kept_case_ids'][0]}", headers=ENGLISH)
        assert page.status_code == 200
        assert "Kims situatie één." in page.text
        assert "a former member" in page.text
        assert "Kim Jansen" not in page.text
        thread = client.get(f"/notes/{w['id']['annas_case_deletes']}", headers=ENGLISH)
        assert "Brams antwoord." in thread.text
        assert "Kims vraag." not in thread.text

    def test_circles_are_left_properly(self, client, login, world):
        w = world
        login(w["kim"])
        delete(client)
        db.session.expire_all()
        deletes = db.session.get(Circle, w["id"]["deletes"])
        assert deletes.member_count == 2
        assert db.session.get(Circle, w["id"]["keeps"]).member_count == 2
        anna = db.session.execute(sa.select(Membership).filter_by(
            circle_id=deletes.id, user_id=w["id"]["anna"])).scalar_one()
        assert anna.is_coordinator
        [notice] = db.session.execute(sa.select(Notification).filter_by(
            user_id=w["id"]["anna"], kind="circle_coordinator_handover")).scalars().all()
        assert notice.params == {"circle": "Schulden Oost"}
        assert deletes.archived_at is None

    def test_a_place_goes_to_the_waitlist(self, client, login, world):
        login(world["kim"])
        delete(client)
        brams = db.session.execute(sa.select(Rsvp).filter_by(
            meeting_id=world["id"]["meeting"], user_id=world["id"]["bram"])).scalar_one()
        assert brams.has_place and brams.waitlisted_at is None
        assert count(Rsvp, Rsvp.meeting_id == world["id"]["meeting"]) == 1

    def test_requests_and_invitations(self, client, login, world):
        login(world["kim"])
        delete(client)
        assert count(JoinRequest) == 0
        assert db.session.get(Invitation, world["id"]["invitation_to_kim"]) is None
        sent = db.session.get(Invitation, world["id"]["invitation_by_kim"])
        assert sent is not None and sent.invited_by_id is None

    def test_the_only_member_leaves_an_archived_circle(self, client, login):
        alone = make_user()
        circle_id = make_circle(alone, name="Eenling").id
        login(alone)
        delete(client)
        db.session.expire_all()
        circle = db.session.get(Circle, circle_id)
        assert circle.member_count == 0
        assert circle.is_archived

    def test_the_audit_log_records_it_without_the_person(self, client, login, world):
        login(world["kim"])
        delete(client)
        [event] = audit_events("account_deleted")
        assert (event.user_id, event.detail, event.ip) == (None, "", None)
        assert count(AuditEvent, AuditEvent.user_id == world["id"]["kim"]) == 0
        assert "kim" not in " ".join(e.detail for e in db.session.execute(
            sa.select(AuditEvent)).scalars())


class TestOneTransaction:
    @pytest.fixture
    def app_overrides(self):
        return {"PROPAGATE_EXCEPTIONS": False}

    def test_a_failing_part_leaves_everything_as_it_was(self, client, login, world, monkeypatch):
        def explode(user):
            raise RuntimeError("a part failed")

        monkeypatch.setitem(data_rights.PARTS, "zz_failing",
                            data_rights.Part("zz_failing", dict, list, explode))
        w = world
        login(w["kim"])
        response = delete(client)
        assert response.status_code == 500
        db.session.expire_all()
        assert db.session.get(User, w["kim"].id) is not None
        assert count(Membership, Membership.user_id == w["kim"].id) == 2
        assert db.session.get(Circle, w["deletes"].id).member_count == 3
        assert count(CaseNote, CaseNote.author_id == w["kim"].id) == 4
        assert db.session.get(CaseComment, w["brams_reply"].id).parent_id is not None
        assert count(Reflection, Reflection.author_id == w["kim"].id) == 2
        assert count(Invitation) == 2
        assert audit_events("account_deleted") == []
        assert client.get("/account/profile").status_code == 200


CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_deleting_needs_the_csrf_token(self, client, world):
        login_page = client.get("/account/login")
        client.post("/account/login", data={
            "email": world["kim"].email, "password": PASSWORD,
            "csrf_token": CSRF_TOKEN.search(login_page.text).group(1)})
        refused = delete(client)
        assert refused.status_code == 400
        assert db.session.get(User, world["kim"].id) is not None
        page = client.get("/account/delete")
        done = client.post("/account/delete", data={
            "password": PASSWORD, "confirm": "y",
            "csrf_token": CSRF_TOKEN.search(page.text).group(1)})
        assert done.status_code == 303
        assert db.session.get(User, world["id"]["kim"]) is None


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3/minute"}

    def test_attempts_are_limited_like_logging_in(self, client, login, world):
        login(world["kim"])
        for _ in range(2):
            assert delete(client, password="raden").status_code == 422
            assert client.get("/account/delete").status_code == 200  # only POST counts
        assert delete(client, password="raden").status_code == 422
        refused = delete(client)
        assert refused.status_code == 429
        assert db.session.get(User, world["kim"].id) is not None
