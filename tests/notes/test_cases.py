"""Case notes: bringing a case (a draft until shared, optionally on a meeting's agenda), its page,
editing, sharing, closing, what we learned, extending, deleting, the circle's cases and the cases
on the meeting page."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from dateutil.relativedelta import relativedelta
from flask_babel import force_locale

from leerkring.circles import services as circle_services
from leerkring.circles.models import Visibility
from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.meetings.models import MeetingStatus
from leerkring.notes.methods import METHODS
from leerkring.notes.models import (
    CaseComment,
    CaseMethod,
    CaseNote,
    CaseStatus,
    PrivacyConfirmation,
)
from tests.factories import (
    make_admin,
    make_case,
    make_circle,
    make_comment,
    make_meeting,
    make_user,
)

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true", "Accept-Language": "en"}
BSN = "123456782"
SITUATION = "Een bewoner trekt zich terug en zegt afspraken af."


def case_data(**changes) -> dict:
    data = {
        "title": "Bewoner die afhaakt",
        "question": "Hoe blijf ik in contact?",
        "situation": SITUATION,
        "tried": "Een kaartje gestuurd.",
        "method": "gossip",
        "meeting": "",
        "pseudonymised": "y",
        "save_draft": "Save as draft",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def cases() -> list[CaseNote]:
    return list(db.session.execute(sa.select(CaseNote).order_by(CaseNote.id)).scalars())


def confirmations() -> list[PrivacyConfirmation]:
    return list(db.session.execute(
        sa.select(PrivacyConfirmation).order_by(PrivacyConfirmation.id)
    ).scalars())


def page_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def local_date(moment: datetime, locale: str) -> str:
    return format_date(moment.astimezone(ZoneInfo("Europe/Amsterdam")).date(), "long",
                       locale=locale)


@pytest.fixture
def circle_of(app):
    """A circle with an author and another member in it; returns (circle, author, member)."""
    author, member = make_user(name="Anna Auteur"), make_user(name="Mo Member")
    circle = make_circle(coordinator=make_user(), members=[author, member])
    return circle, author, member


# The methods -----------------------------------------------------------------------------------


def test_every_method_has_a_description_and_steps_with_prompts(app):
    assert set(METHODS) == set(CaseMethod)
    for method in METHODS.values():
        assert str(method.label) and str(method.description).endswith(".")
        assert len(method.steps) >= 4
        for step in method.steps:
            assert str(step.title) and str(step.prompt)


def test_the_methods_follow_intervision_practice(app):
    def titles(key):
        return [str(step.title) for step in METHODS[key].steps]

    with force_locale("en"):
        assert titles(CaseMethod.INCIDENT)[1] == "Questions for information"
        assert titles(CaseMethod.INCIDENT)[-2:] == ["The case presenter chooses", "Evaluation"]
        assert "Core statement" in titles(CaseMethod.SOCRATIC)
        assert titles(CaseMethod.SOCRATIC)[-1] == "Conclusion"
        assert "back to the circle" in str(METHODS[CaseMethod.GOSSIP].steps[2].prompt)
    assert titles(CaseMethod.INCIDENT)[1] == "Informatieve vragen"


# Bringing a case --------------------------------------------------------------------------------


def test_the_form_shows_each_method_with_its_steps_and_the_coming_meetings(
    client, login, circle_of
):
    circle, author, _ = circle_of
    coming = make_meeting(circle, title="Maartbijeenkomst")
    make_meeting(circle, title="Afgelast", status=MeetingStatus.CANCELLED)
    make_meeting(circle, title="Voorbij", starts_at=datetime.now(UTC) - timedelta(days=3))
    make_meeting(make_circle(), title="Andermans bijeenkomst")
    login(author)
    response = client.get(f"/circles/{circle.id}/cases/new", headers=EN)
    assert response.status_code == 200
    assert "<title>Bring a case · Leerkring</title>" in response.text
    with force_locale("en"):
        for method in METHODS.values():
            assert str(method.description) in response.text
            assert f"{method.label}: the steps" in response.text
            for step in method.steps:
                assert str(step.title) in response.text
    assert response.text.count('class="method-guide"') == 4
    assert "Maartbijeenkomst" in response.text
    assert f'value="{coming.id}"' in response.text
    for absent in ("Afgelast", "Voorbij", "Andermans bijeenkomst"):
        assert absent not in response.text
    assert "Save as draft" in response.text and "Save and share with the circle" in response.text
    assert 'hx-post="/privacy/check"' in response.text


def test_the_form_is_also_a_fragment(client, login, circle_of):
    circle, author, _ = circle_of
    login(author)
    page = client.get(f"/circles/{circle.id}/cases/new", headers=EN)
    fragment = client.get(f"/circles/{circle.id}/cases/new", headers=HX)
    assert "<html" in page.text
    assert "<html" not in fragment.text
    assert 'id="case-form"' in fragment.text


def test_a_meeting_in_the_link_is_chosen_in_the_form(client, login, circle_of):
    circle, author, _ = circle_of
    meeting = make_meeting(circle)
    other = make_meeting(make_circle())
    login(author)
    response = client.get(f"/circles/{circle.id}/cases/new?meeting={meeting.id}", headers=EN)
    assert f'<option selected value="{meeting.id}">' in response.text
    response = client.get(f"/circles/{circle.id}/cases/new?meeting={other.id}", headers=EN)
    assert 'selected value="' not in response.text.replace('selected value=""', "")


def test_a_new_case_is_a_private_draft_with_its_retention_and_confirmation(
    client, login, circle_of
):
    circle, author, _ = circle_of
    meeting = make_meeting(circle)
    login(author)
    response = client.post(f"/circles/{circle.id}/cases/new",
                           data=case_data(meeting=str(meeting.id)), headers=EN)
    [case] = cases()
    assert response.status_code == 303 and response.location.endswith(f"/notes/{case.id}")
    assert (case.status, case.author_id, case.circle_id) == (CaseStatus.DRAFT, author.id, circle.id)
    assert (case.title, case.method, case.meeting_id) == ("Bewoner die afhaakt",
                                                          CaseMethod.GOSSIP, meeting.id)
    assert case.shared_at is None
    assert case.expires_at == case.last_activity_at + relativedelta(months=24)
    [confirmation] = confirmations()
    assert (confirmation.user_id, confirmation.subject_type, confirmation.subject_id,
            confirmation.kinds) == (author.id, "case", case.id, "")
    page = client.get(response.location, headers=EN)
    assert "Draft saved: only you can see it." in page.text


def test_save_and_share_shares_it_at_once(client, login, circle_of):
    circle, author, _ = circle_of
    login(author)
    response = client.post(
        f"/circles/{circle.id}/cases/new",
        data=case_data(save_draft=None, share="Save and share with the circle"), headers=EN,
    )
    [case] = cases()
    assert case.status == CaseStatus.SHARED and case.shared_at is not None
    assert "The case is shared with the circle." in client.get(response.location, headers=EN).text


def test_the_confirmation_is_required_and_records_what_the_guard_found(
    client, login, circle_of
):
    circle, author, _ = circle_of
    login(author)
    data = case_data(situation=SITUATION + " Bel 06-12345678.", pseudonymised=None)
    response = client.post(f"/circles/{circle.id}/cases/new", data=data, headers=EN)
    assert response.status_code == 422
    assert cases() == []
    assert 'id="pseudonymised-error"' in response.text
    assert "phone number" in response.text and "<mark>06-12345678</mark>" in response.text
    data["pseudonymised"] = "y"
    client.post(f"/circles/{circle.id}/cases/new", data=data, headers=EN)
    [case] = cases()
    [confirmation] = confirmations()
    assert (confirmation.subject_id, confirmation.kinds) == (case.id, "phone")


def test_a_clean_text_still_needs_the_confirmation(client, login, circle_of):
    circle, author, _ = circle_of
    login(author)
    response = client.post(f"/circles/{circle.id}/cases/new",
                           data=case_data(pseudonymised=None), headers=EN)
    assert response.status_code == 422
    assert "Check that no one can be recognised" in response.text
    assert cases() == [] and confirmations() == []


def test_errors_show_next_to_each_field_and_keep_the_input(client, login, circle_of):
    circle, author, _ = circle_of
    other_meeting = make_meeting(make_circle())
    login(author)
    response = client.post(
        f"/circles/{circle.id}/cases/new",
        data=case_data(title="Mijn titel", question="", situation="", method="nonsense",
                       meeting=str(other_meeting.id), tried="Al veel geprobeerd"),
        headers=EN,
    )
    assert response.status_code == 422
    assert "Nothing has been saved yet" in response.text
    for name in ("question", "situation", "meeting"):
        assert f'id="{name}-error"' in response.text, name
        assert f'aria-describedby="{name}-hint {name}-error"' in response.text, name
    assert 'id="method-error"' in response.text
    assert "Say what you would like the circle to help you with." in response.text
    assert "Choose one of this circle's coming meetings." in response.text
    assert "Choose a method." in response.text
    assert 'value="Mijn titel"' in response.text
    assert "Al veel geprobeerd</textarea>" in response.text
    assert cases() == []


@pytest.mark.parametrize("headers", [EN, HX], ids=["form", "htmx"])
def test_a_bsn_is_refused_with_where_it_is_and_nothing_is_stored(
    client, login, circle_of, headers
):
    circle, author, _ = circle_of
    login(author)
    situation = f"Eerste regel.\nZijn nummer is {BSN}, zei hij."
    response = client.post(f"/circles/{circle.id}/cases/new",
                           data=case_data(situation=situation), headers=headers)
    assert response.status_code == 422
    assert db.session.execute(sa.select(sa.func.count(CaseNote.id))).scalar() == 0
    assert confirmations() == []
    error = re.search(r'<small id="situation-error" class="field-error">(.*?)</small>',
                      response.text, re.S).group(1)
    assert f"Line 2, position 16: “{BSN}” is a citizen service number (BSN)" in error
    assert "The law does not allow a BSN to be stored here" in error
    assert f"<mark>{BSN}</mark>" in response.text
    if headers is HX:
        assert "<html" not in response.text and 'id="case-form"' in response.text
    else:
        assert "<html" in response.text


def test_a_bsn_in_the_title_is_refused_too(client, login, circle_of):
    circle, author, _ = circle_of
    login(author)
    response = client.post(f"/circles/{circle.id}/cases/new",
                           data=case_data(title=f"Casus {BSN}"), headers=EN)
    assert response.status_code == 422 and 'id="title-error"' in response.text
    assert cases() == []


def test_only_members_of_an_active_circle_bring_a_case(client, login, circle_of):
    circle, author, _ = circle_of
    url = f"/circles/{circle.id}/cases/new"
    assert "/account/login" in client.get(url).location
    hidden = make_circle(visibility=Visibility.MEMBERS)
    outsider = make_user()
    login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url, data=case_data()).status_code == 403
    assert client.get(f"/circles/{hidden.id}/cases/new").status_code == 404
    client.post("/account/logout")
    login(make_admin())
    assert client.post(url, data=case_data()).status_code == 403
    client.post("/account/logout")
    circle.archived_at = datetime.now(UTC)
    db.session.commit()
    login(author)
    assert client.get(url).status_code == 403
    assert cases() == []


# The case page ----------------------------------------------------------------------------------


def test_the_case_page_shows_the_case_with_its_method_as_a_guide(client, login, circle_of):
    circle, author, member = circle_of
    meeting = make_meeting(circle, title="Aprilbijeenkomst")
    case = make_case(circle, author, title="Afhakende bewoner", meeting=meeting,
                     situation="Zij **belt** niet meer terug.", tried="Huisbezoek.",
                     method=CaseMethod.INCIDENT)
    login(member)
    response = client.get(f"/notes/{case.id}", headers=EN)
    assert response.status_code == 200
    text = response.text
    assert "<h1>Afhakende bewoner</h1>" in text
    assert "Shared with the circle" in text
    assert "Anna Auteur" in text
    assert f'href="/meetings/{meeting.id}">Aprilbijeenkomst</a>' in text
    assert "Hoe houd ik contact met een bewoner" in text
    assert "Zij <strong>belt</strong> niet meer terug." in text
    assert "Huisbezoek." in text
    assert "Incident method: the steps" in text and "Questions for information" in text
    assert f"This case will be deleted on {local_date(case.expires_at, 'en')}" in text
    # Only the author changes, extends or deletes it.
    for action in ("Edit", "Close the case", "Extend", "Delete"):
        assert f">{action}<" not in text, action


def test_the_case_page_is_never_cached_and_only_its_title_is_in_the_title(
    client, login, circle_of
):
    circle, author, _ = circle_of
    case = make_case(circle, author, title="Afhakende bewoner")
    login(author)
    response = client.get(f"/notes/{case.id}", headers=EN)
    assert "no-store" in response.headers["Cache-Control"]
    assert page_title(response.text) == "Afhakende bewoner · Leerkring"


def test_the_author_sees_what_they_can_do(client, login, circle_of):
    circle, author, _ = circle_of
    draft = make_case(circle, author, status=CaseStatus.DRAFT)
    login(author)
    text = client.get(f"/notes/{draft.id}", headers=EN).text
    assert "Only you can see this draft." in text
    for action in (">Share with the circle<", ">Edit<", ">Extend<", ">Delete<"):
        assert action in text, action
    assert ">Close the case<" not in text
    shared = make_case(circle, author)
    text = client.get(f"/notes/{shared.id}", headers=EN).text
    assert ">Close the case<" in text and ">Share with the circle<" not in text


def test_a_case_of_a_former_author_names_nobody(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author)
    case.author_id = None
    db.session.commit()
    login(member)
    text = client.get(f"/notes/{case.id}", headers=EN).text
    assert "a former member" in text and "Anna Auteur" not in text


def test_the_case_page_shows_the_comments_section(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author)
    make_comment(case, member, body="Wat zegt haar huisarts?")
    login(author)
    text = client.get(f"/notes/{case.id}", headers=EN).text
    assert 'id="comments"' in text and "Wat zegt haar huisarts?" in text


def test_the_case_page_in_english_and_dutch(client, login, circle_of):
    circle, author, _ = circle_of
    case = make_case(circle, author, method=CaseMethod.SOCRATIC)
    login(author)
    english = client.get(f"/notes/{case.id}", headers=EN).text
    assert '<html lang="en">' in english
    assert "The question for the circle" in english and "Socratic dialogue" in english
    assert local_date(case.expires_at, "en") in english
    dutch = client.get(f"/notes/{case.id}").text
    assert '<html lang="nl">' in dutch
    assert "De vraag aan de leerkring" in dutch and "Socratisch gesprek" in dutch
    assert "Kernuitspraak" in dutch
    assert f"Deze casus wordt op {local_date(case.expires_at, 'nl')} verwijderd" in dutch


# Who sees a case --------------------------------------------------------------------------------


def test_a_draft_is_hidden_from_the_other_members(client, login, circle_of):
    circle, author, member = circle_of
    draft = make_case(circle, author, status=CaseStatus.DRAFT, title="Nog geheim")
    login(member)
    for url in (f"/notes/{draft.id}", f"/notes/{draft.id}/edit", f"/notes/{draft.id}/close"):
        response = client.get(url)
        assert response.status_code == 404 and "Nog geheim" not in response.text
    assert client.post(f"/notes/{draft.id}/share").status_code == 404
    assert "Nog geheim" not in client.get(f"/circles/{circle.id}/cases").text
    assert cases()[0].status == CaseStatus.DRAFT


def test_another_circles_case_is_not_found(client, login, circle_of):
    circle, author, _ = circle_of
    elsewhere = make_case(make_circle(members=[make_user()]), make_user(), title="Elders")
    login(author)
    for url in (f"/notes/{elsewhere.id}", f"/notes/{elsewhere.id}/edit",
                f"/notes/{elsewhere.id}/lesson", f"/notes/{elsewhere.id}/delete"):
        response = client.get(url)
        assert response.status_code == 404 and "Elders" not in response.text
    for url in (f"/notes/{elsewhere.id}/extend", f"/notes/{elsewhere.id}/delete"):
        assert client.post(url).status_code == 404
    assert len(cases()) == 1


def test_a_former_member_loses_access(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author, title="Alleen voor de kring")
    login(member)
    assert client.get(f"/notes/{case.id}").status_code == 200
    circle_services.leave(membership_of(member, circle))
    db.session.commit()
    response = client.get(f"/notes/{case.id}")
    assert response.status_code == 404 and "Alleen voor de kring" not in response.text
    assert client.get(f"/circles/{circle.id}/cases").status_code == 404


def test_an_admin_who_is_not_a_member_sees_nothing(client, login, circle_of):
    circle, author, _ = circle_of
    case = make_case(circle, author)
    login(make_admin())
    assert client.get(f"/notes/{case.id}").status_code == 404
    assert client.get(f"/circles/{circle.id}/cases").status_code == 404


# Editing and sharing ----------------------------------------------------------------------------


def test_the_author_edits_a_draft_and_shares_it(client, login, circle_of):
    circle, author, _ = circle_of
    meeting = make_meeting(circle, title="Meibijeenkomst")
    case = make_case(circle, author, status=CaseStatus.DRAFT, title="Oude titel",
                     last_activity_at=datetime.now(UTC) - timedelta(days=40))
    login(author)
    form = client.get(f"/notes/{case.id}/edit", headers=EN)
    assert 'value="Oude titel"' in form.text
    assert page_title(form.text) == "Edit · Oude titel · Leerkring"
    assert "Save as draft" in form.text and "Save changes" not in form.text
    fragment = client.get(f"/notes/{case.id}/edit", headers=HX)
    assert "<html" not in fragment.text and 'id="case-form"' in fragment.text
    response = client.post(
        f"/notes/{case.id}/edit",
        data=case_data(title="Nieuwe titel", meeting=str(meeting.id), save_draft=None,
                       share="Save and share with the circle"),
        headers=EN,
    )
    assert response.status_code == 303
    db.session.refresh(case)
    assert (case.title, case.meeting_id, case.status) == ("Nieuwe titel", meeting.id,
                                                          CaseStatus.SHARED)
    assert case.last_activity_at > datetime.now(UTC) - timedelta(minutes=1)
    assert case.expires_at == case.last_activity_at + relativedelta(months=24)
    assert [c.subject_id for c in confirmations()] == [case.id]


def test_editing_a_shared_case_keeps_it_shared(client, login, circle_of):
    circle, author, _ = circle_of
    case = make_case(circle, author)
    login(author)
    form = client.get(f"/notes/{case.id}/edit", headers=EN)
    assert "Save changes" in form.text and "Save as draft" not in form.text
    client.post(f"/notes/{case.id}/edit",
                data=case_data(save_draft=None, save="Save changes", method="socratic"))
    db.session.refresh(case)
    assert case.status == CaseStatus.SHARED and case.method == CaseMethod.SOCRATIC


def test_a_case_on_a_past_meeting_keeps_it_when_edited(client, login, circle_of):
    circle, author, _ = circle_of
    past = make_meeting(circle, starts_at=datetime.now(UTC) - timedelta(days=10))
    case = make_case(circle, author, meeting=past)
    login(author)
    client.post(f"/notes/{case.id}/edit", data=case_data(meeting=str(past.id), save="y"))
    db.session.refresh(case)
    assert case.meeting_id == past.id and case.title == "Bewoner die afhaakt"


def test_edit_errors_keep_the_input_and_change_nothing(client, login, circle_of):
    circle, author, _ = circle_of
    case = make_case(circle, author, title="Blijft staan")
    login(author)
    response = client.post(f"/notes/{case.id}/edit",
                           data=case_data(title="", situation=f"Nummer {BSN}."), headers=EN)
    assert response.status_code == 422
    assert 'id="title-error"' in response.text and 'id="situation-error"' in response.text
    assert f"Nummer {BSN}.</textarea>" in response.text
    assert page_title(response.text) == "Edit · Blijft staan · Leerkring"
    db.session.refresh(case)
    assert case.title == "Blijft staan" and BSN not in case.situation


def test_only_the_author_edits_and_not_after_closing(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author)
    login(member)
    assert client.get(f"/notes/{case.id}/edit").status_code == 403
    assert client.post(f"/notes/{case.id}/edit", data=case_data()).status_code == 403
    client.post("/account/logout")
    case.status = CaseStatus.CLOSED
    db.session.commit()
    login(author)
    assert client.get(f"/notes/{case.id}/edit").status_code == 403


def test_sharing_a_draft(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author, status=CaseStatus.DRAFT)
    login(author)
    response = client.post(f"/notes/{case.id}/share", headers=EN)
    assert response.status_code == 303
    db.session.refresh(case)
    assert case.status == CaseStatus.SHARED and case.shared_at is not None
    assert "The case is shared with the circle." in client.get(response.location, headers=EN).text
    assert client.post(f"/notes/{case.id}/share").status_code == 403
    client.post("/account/logout")
    login(member)
    assert client.get(f"/notes/{case.id}").status_code == 200


# Closing and what we learned --------------------------------------------------------------------


def test_the_author_closes_the_case_with_what_they_take_from_it(client, login, circle_of):
    circle, author, _ = circle_of
    case = make_case(circle, author)
    login(author)
    form = client.get(f"/notes/{case.id}/close", headers=EN)
    assert "What I take from this" in form.text
    assert page_title(form.text) == f"Close the case · {case.title} · Leerkring"
    response = client.post(f"/notes/{case.id}/close", data={"takeaway": ""}, headers=EN)
    assert response.status_code == 422
    assert 'id="takeaway-error"' in response.text and 'id="pseudonymised-error"' in response.text
    response = client.post(f"/notes/{case.id}/close",
                           data={"takeaway": "Ik bel *eerst* de dochter.", "pseudonymised": "y"})
    assert response.status_code == 303
    db.session.refresh(case)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert [(c.subject_type, c.subject_id) for c in confirmations()] == [("case", case.id)]
    text = client.get(f"/notes/{case.id}", headers=EN).text
    assert "Ik bel <em>eerst</em> de dochter." in text
    assert "Write what we learned" in text


def test_a_bsn_in_the_takeaway_is_refused(client, login, circle_of):
    circle, author, _ = circle_of
    case = make_case(circle, author)
    login(author)
    response = client.post(f"/notes/{case.id}/close",
                           data={"takeaway": f"BSN {BSN}", "pseudonymised": "y"}, headers=EN)
    assert response.status_code == 422 and "citizen service number" in response.text
    assert f"BSN {BSN}</textarea>" in response.text
    db.session.refresh(case)
    assert case.status == CaseStatus.SHARED and case.takeaway == ""


def test_only_the_author_closes_a_shared_case(client, login, circle_of):
    circle, author, member = circle_of
    draft = make_case(circle, author, status=CaseStatus.DRAFT)
    shared = make_case(circle, author)
    login(author)
    assert client.get(f"/notes/{draft.id}/close").status_code == 403
    client.post("/account/logout")
    login(member)
    assert client.post(f"/notes/{shared.id}/close",
                       data={"takeaway": "x", "pseudonymised": "y"}).status_code == 403


def test_any_member_writes_what_we_learned_once_it_is_closed(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author)
    login(member)
    assert client.get(f"/notes/{case.id}/lesson").status_code == 403
    case.status = CaseStatus.CLOSED
    db.session.commit()
    form = client.get(f"/notes/{case.id}/lesson", headers=EN)
    assert form.status_code == 200 and "What we learned" in form.text
    response = client.post(f"/notes/{case.id}/lesson", data={"lesson": ""}, headers=EN)
    assert response.status_code == 422 and 'id="lesson-error"' in response.text
    response = client.post(f"/notes/{case.id}/lesson",
                           data={"lesson": "Vraag eerst wie er nog meer is.",
                                 "pseudonymised": "y"})
    assert response.status_code == 303
    db.session.refresh(case)
    assert case.lesson == "Vraag eerst wie er nog meer is."
    text = client.get(f"/notes/{case.id}", headers=EN).text
    assert "Vraag eerst wie er nog meer is." in text and "Edit what we learned" in text
    assert 'Vraag eerst wie er nog meer is.</textarea>' in client.get(
        f"/notes/{case.id}/lesson").text


def test_a_bsn_in_what_we_learned_is_refused_and_the_text_kept(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author, status=CaseStatus.CLOSED, lesson="Eerdere les.")
    login(member)
    response = client.post(f"/notes/{case.id}/lesson",
                           data={"lesson": f"Les met {BSN}", "pseudonymised": "y"}, headers=EN)
    assert response.status_code == 422
    assert 'id="lesson-error"' in response.text and "Line 1, position 9" in response.text
    assert f"Les met {BSN}</textarea>" in response.text
    db.session.refresh(case)
    assert case.lesson == "Eerdere les." and confirmations() == []


# Retention and deleting --------------------------------------------------------------------------


def test_the_author_extends_once(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author)
    before = case.expires_at
    login(member)
    assert client.post(f"/notes/{case.id}/extend").status_code == 403
    client.post("/account/logout")
    login(author)
    response = client.post(f"/notes/{case.id}/extend", headers=EN)
    assert response.status_code == 303
    db.session.refresh(case)
    assert case.extended_at is not None
    assert case.expires_at == before + relativedelta(months=24)
    text = client.get(response.location, headers=EN).text
    assert f"it will be deleted on {local_date(case.expires_at, 'en')}" in text
    assert "It has been extended once." in text and ">Extend<" not in text
    assert client.post(f"/notes/{case.id}/extend").status_code == 403


def test_the_author_deletes_a_case_with_its_comments(client, login, circle_of):
    circle, author, member = circle_of
    case = make_case(circle, author, title="Weg ermee")
    comment = make_comment(case, member)
    db.session.add_all([
        PrivacyConfirmation(user_id=author.id, subject_type="case", subject_id=case.id),
        PrivacyConfirmation(user_id=member.id, subject_type="comment", subject_id=comment.id),
    ])
    db.session.commit()
    login(member)
    assert client.get(f"/notes/{case.id}/delete").status_code == 403
    assert client.post(f"/notes/{case.id}/delete").status_code == 403
    client.post("/account/logout")
    login(author)
    confirm = client.get(f"/notes/{case.id}/delete", headers=EN)
    assert "deleted for good, with every comment" in confirm.text
    response = client.post(f"/notes/{case.id}/delete", headers=EN)
    assert response.status_code == 303
    assert response.location.endswith(f"/circles/{circle.id}/cases")
    assert cases() == []
    assert db.session.execute(sa.select(sa.func.count(CaseComment.id))).scalar() == 0
    assert db.session.execute(sa.select(PrivacyConfirmation)).first() is None
    text = client.get(response.location, headers=EN).text
    assert "The case and its comments are deleted." in text and "Weg ermee" not in text


# The circle's cases ------------------------------------------------------------------------------


def test_the_circles_cases_are_the_visible_ones_newest_activity_first(client, login, circle_of):
    circle, author, member = circle_of
    now = datetime.now(UTC)
    make_case(circle, author, title="Oudere casus", last_activity_at=now - timedelta(days=9))
    make_case(circle, member, title="Recente casus", last_activity_at=now - timedelta(days=1))
    make_case(circle, author, title="Gesloten casus", status=CaseStatus.CLOSED)
    make_case(circle, member, title="Mijn concept", status=CaseStatus.DRAFT)
    make_case(circle, author, title="Concept van een ander", status=CaseStatus.DRAFT)
    make_case(make_circle(members=[member]), member, title="Andere kring")
    login(member)
    text = client.get(f"/circles/{circle.id}/cases", headers=EN).text
    assert "4 cases" in text
    assert "Concept van een ander" not in text and "Andere kring" not in text
    assert text.index("Mijn concept") < text.index("Recente casus") < text.index("Oudere casus")
    assert "Brought by Anna Auteur" in text
    drafts = client.get(f"/circles/{circle.id}/cases?status=draft", headers=EN).text
    assert "Mijn concept" in drafts and "Recente casus" not in drafts
    closed = client.get(f"/circles/{circle.id}/cases?status=closed", headers=HX)
    assert "<html" not in closed.text and 'id="case-results"' in closed.text
    assert "Gesloten casus" in closed.text and "Recente casus" not in closed.text
    assert "Oudere casus" in client.get(f"/circles/{circle.id}/cases?status=bogus").text


def test_the_list_says_what_to_do_when_there_are_no_cases(client, login, circle_of):
    circle, author, _ = circle_of
    login(author)
    text = client.get(f"/circles/{circle.id}/cases", headers=EN).text
    assert "No cases yet." in text
    assert f'href="/circles/{circle.id}/cases/new">Bring the first case</a>' in text
    filtered = client.get(f"/circles/{circle.id}/cases?status=closed", headers=EN).text
    assert "No cases with this status." in filtered and "Show all cases" in filtered


class TestPaging:
    @pytest.fixture
    def app_overrides(self):
        return {"PER_PAGE": 2}

    def test_the_list_is_paginated_with_its_filter(self, client, login, circle_of):
        circle, author, _ = circle_of
        for n in range(3):
            make_case(circle, author, title=f"Gesloten {n}", status=CaseStatus.CLOSED)
        make_case(circle, author, title="Gedeeld")
        login(author)
        first = client.get(f"/circles/{circle.id}/cases?status=closed", headers=EN).text
        assert "Page 1 of 2" in first
        assert f"/circles/{circle.id}/cases?status=closed&amp;page=2" in first
        second = client.get(f"/circles/{circle.id}/cases?status=closed&page=2", headers=EN).text
        assert second.count("Gesloten ") == 1 and "Gedeeld" not in second


def test_the_list_runs_a_fixed_number_of_queries(client, login, circle_of, count_queries):
    circle, author, member = circle_of
    meeting = make_meeting(circle)
    case = make_case(circle, author, meeting=meeting)
    make_comment(case, member)
    login(member)
    url = f"/circles/{circle.id}/cases"
    with count_queries() as small:
        client.get(url)
    for _ in range(15):
        writer = make_user()
        circle_services.add_member(circle, writer)
        db.session.commit()
        extra = make_case(circle, writer, meeting=make_meeting(circle))
        make_comment(extra, member)
        make_comment(extra, writer)
    with count_queries() as large:
        response = client.get(url)
    assert response.text.count("<article>") == 16
    assert large.count == small.count


def test_the_circle_page_links_members_to_the_cases(client, login, circle_of):
    circle, author, _ = circle_of
    login(author)
    text = client.get(f"/circles/{circle.id}", headers=EN).text
    assert f'href="/circles/{circle.id}/cases"' in text
    client.post("/account/logout")
    login(make_user())
    assert f'href="/circles/{circle.id}/cases"' not in client.get(f"/circles/{circle.id}").text


# On the meeting page ----------------------------------------------------------------------------


def test_the_meeting_page_shows_its_cases_with_their_method_as_a_guide(
    client, login, circle_of
):
    circle, author, member = circle_of
    meeting = make_meeting(circle)
    make_case(circle, author, title="Op de agenda", meeting=meeting, method=CaseMethod.GOSSIP)
    make_case(circle, author, title="Nog een concept", meeting=meeting, status=CaseStatus.DRAFT)
    make_case(circle, author, title="Niet op de agenda")
    login(member)
    text = client.get(f"/meetings/{meeting.id}", headers=EN).text
    assert 'id="meeting-cases"' in text and "Op de agenda" in text
    assert "Gossip method: the steps" in text and "Clarifying questions" in text
    assert "Nog een concept" not in text and "Niet op de agenda" not in text
    assert (f'href="/circles/{circle.id}/cases/new?meeting={meeting.id}">'
            "Bring a case to this meeting</a>") in text
    client.post("/account/logout")
    login(author)
    assert "Nog een concept" in client.get(f"/meetings/{meeting.id}", headers=EN).text


def test_the_meeting_page_of_a_past_meeting_only_lists_its_cases(client, login, circle_of):
    circle, author, member = circle_of
    past = make_meeting(circle, starts_at=datetime.now(UTC) - timedelta(days=7))
    empty_past = make_meeting(circle, starts_at=datetime.now(UTC) - timedelta(days=14))
    make_case(circle, author, title="Besproken", meeting=past)
    login(member)
    text = client.get(f"/meetings/{past.id}", headers=EN).text
    assert "Besproken" in text and "Bring a case to this meeting" not in text
    assert 'id="meeting-cases"' not in client.get(f"/meetings/{empty_past.id}").text


def test_the_meeting_page_shows_no_cases_to_outsiders(client, login, circle_of):
    circle, author, _ = circle_of
    meeting = make_meeting(circle)
    make_case(circle, author, title="Binnen de kring", meeting=meeting)
    login(make_user())
    response = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert response.status_code == 200
    assert "Binnen de kring" not in response.text and 'id="meeting-cases"' not in response.text


def test_the_meeting_section_runs_a_fixed_number_of_queries(
    client, login, circle_of, count_queries
):
    circle, author, member = circle_of
    meeting = make_meeting(circle)
    make_case(circle, author, meeting=meeting)
    login(member)
    with count_queries() as small:
        client.get(f"/meetings/{meeting.id}")
    for _ in range(10):
        writer = make_user()
        circle_services.add_member(circle, writer)
        db.session.commit()
        make_case(circle, writer, meeting=meeting)
    with count_queries() as large:
        response = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert response.text.count("the steps</summary>") == 11
    assert large.count == small.count
