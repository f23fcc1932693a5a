"""Reflections: the templates and their parts, writing one about a meeting, a case or nothing,
the privacy guard on every part, who may read, change and delete it, a circle's shared
reflections, the offer on the meeting page and the reminder's link."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.circles import services as circle_services
from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.meetings.models import Attendance, CheckInMethod
from leerkring.notes import reflection_templates
from leerkring.notes.models import (
    CaseStatus,
    PrivacyConfirmation,
    Reflection,
    ReflectionTemplate,
    Sharing,
)
from leerkring.notes.reflection_templates import PROMPTS, TEMPLATES
from tests.factories import (
    make_admin,
    make_case,
    make_circle,
    make_meeting,
    make_reflection,
    make_user,
    make_werkplaats_admin,
)

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true", **EN}
BSN = "123456782"
SECRET = "Wat ik leerde van de stilte in de groep."
GIBBS = {
    "description": "De groep besprak een casus over eenzaamheid.",
    "feelings": "Ik voelde me onzeker.",
    "evaluation": "Het gesprek kwam op gang.",
    "analysis": "Doorvragen hielp.",
    "conclusion": "Ik mag vaker stilte laten vallen.",
    "action_plan": "Volgende keer tel ik tot tien.",
}


@pytest.fixture
def people(app):
    """Anna writes; Bram is a member, Cora coordinates; Dirk left; Olga is in another circle."""
    anna, bram, cora, dirk, olga = (make_user(name=name) for name in
                                    ("Anna", "Bram", "Cora", "Dirk", "Olga"))
    circle = make_circle(coordinator=cora, members=[anna, bram, dirk], name="Kring Hengelo")
    other = make_circle(members=[olga], name="Kring Enschede")
    circle_services.leave(membership_of(dirk, circle))
    db.session.commit()
    return {
        "author": anna, "member": bram, "coordinator": cora, "former_member": dirk,
        "other_circle": olga, "werkplaats_admin": make_werkplaats_admin(),
        "association_admin": make_admin(), "circle": circle, "other": other,
    }


def reflections() -> list[Reflection]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(Reflection).order_by(Reflection.id)).scalars())


def gibbs_data(**overrides) -> dict:
    return {"title": "Na de intervisie", "sharing": "private", "circle": "", **GIBBS,
            **overrides}


def started_meeting(circle, **kw):
    """A meeting of ``circle`` that started an hour ago."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    return make_meeting(circle, starts_at=start, **kw)


# Choosing a template -----------------------------------------------------------------------------


def test_the_chooser_offers_the_three_templates(client, login, people):
    login(people["author"])
    response = client.get("/reflections/new", headers=EN)
    assert "<html" in response.text
    for name in ("reflective cycle", "ALACT model", "Short reflection"):
        assert name in response.text
    assert "/reflections/new?template=gibbs" in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_the_chooser_fragment_and_what_it_passes_on(client, login, people):
    meeting = started_meeting(people["circle"], title="Intervisie maart")
    login(people["author"])
    response = client.get(f"/reflections/new?meeting={meeting.id}", headers=HTMX)
    assert "<html" not in response.text
    assert 'id="reflection-templates"' in response.text
    assert "Intervisie maart" in response.text
    assert f"template=alact&amp;meeting={meeting.id}" in response.text


def test_an_unknown_template_shows_the_chooser(client, login, people):
    login(people["author"])
    response = client.get("/reflections/new?template=diary", headers=EN)
    assert response.status_code == 200
    assert 'id="reflection-templates"' in response.text


# The templates' parts ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(ReflectionTemplate))
def test_each_template_shows_all_its_parts_with_their_questions(client, login, people, key,
                                                                 app):
    login(people["author"])
    response = client.get(f"/reflections/new?template={key.value}", headers=EN)
    assert "<html" in response.text
    with app.test_request_context(headers=EN):
        parts = [(part.key, str(part.label), str(part.question))
                 for part in TEMPLATES[key].parts]
    for name, label, question in parts:
        assert f'name="{name}"' in response.text
        assert question in response.text
        if key != ReflectionTemplate.FREE:
            assert f">{label}" in response.text
    fragment = client.get(f"/reflections/new?template={key.value}", headers=HTMX)
    assert "<html" not in fragment.text
    assert 'id="reflection-form"' in fragment.text


def test_gibbs_and_alact_have_the_parts_of_their_models(app):
    with app.test_request_context(headers=EN):
        gibbs = [str(p.label) for p in TEMPLATES[ReflectionTemplate.GIBBS].parts]
        alact = [str(p.label) for p in TEMPLATES[ReflectionTemplate.ALACT].parts]
    assert gibbs == ["Description", "Feelings", "Evaluation", "Analysis", "Conclusion",
                     "Action plan"]
    assert alact == ["Acting", "Looking back", "Awareness of essential aspects",
                     "Creating alternatives", "Trial"]


def test_the_free_prompt_rotates_by_day_and_is_stored_by_key(client, login, people):
    keys = [reflection_templates.prompt_of_the_day(date(2026, 3, d)) for d in range(1, 8)]
    assert sorted(keys) == sorted(PROMPTS)  # a week shows every prompt once
    login(people["author"])
    form = client.get("/reflections/new?template=free&prompt=differently", headers=EN)
    assert "What will you do differently?" in form.text
    assert 'name="prompt" type="hidden" value="differently"' in form.text
    assert "prompt=yourself" in form.text  # ask me another question
    response = client.post("/reflections/new?template=free", headers=EN, data={
        "title": "Kort", "answer": "Ik vraag eerder door.", "prompt": "differently",
        "sharing": "private",
    })
    assert response.status_code == 303
    [reflection] = reflections()
    assert reflection.prompt == "differently"
    assert reflection.parts == {"answer": "Ik vraag eerder door."}
    page = client.get(response.location, headers=EN)
    assert "What will you do differently?" in page.text
    assert "Ik vraag eerder door." in page.text


def test_an_unknown_prompt_falls_back_to_the_prompt_of_the_day(client, login, people):
    login(people["author"])
    client.post("/reflections/new?template=free", data={
        "title": "Kort", "answer": "Tekst.", "prompt": "nonsense", "sharing": "private"})
    [reflection] = reflections()
    assert reflection.prompt in PROMPTS


# Writing one -------------------------------------------------------------------------------------


def test_a_gibbs_reflection_is_saved_and_shown_with_its_labels(client, login, people):
    login(people["author"])
    response = client.post("/reflections/new?template=gibbs", data=gibbs_data(), headers=EN)
    assert response.status_code == 303
    [reflection] = reflections()
    assert reflection.template == ReflectionTemplate.GIBBS
    assert reflection.parts == GIBBS
    assert (reflection.sharing, reflection.circle_id, reflection.author_id) == (
        Sharing.PRIVATE, None, people["author"].id)
    assert response.location == f"/reflections/{reflection.id}"
    page = client.get(response.location, headers=EN)
    assert "Your reflection is saved." in page.text
    for label in ("Description", "Feelings", "Evaluation", "Analysis", "Conclusion",
                  "Action plan"):
        assert f"<h2>{label}</h2>" in page.text
    for text in GIBBS.values():
        assert text in page.text
    assert "Only me" in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_an_alact_reflection_shared_with_the_circle(client, login, people):
    circle = people["circle"]
    login(people["author"])
    response = client.post("/reflections/new?template=alact", headers=EN, data={
        "title": "Doorvragen", "action": "Ik stelde vragen.", "trial": "Open vragen.",
        "sharing": "circle", "circle": str(circle.id),
    })
    assert response.status_code == 303
    [reflection] = reflections()
    assert (reflection.sharing, reflection.circle_id) == (Sharing.CIRCLE, circle.id)
    assert reflection.parts == {"action": "Ik stelde vragen.", "looking_back": "",
                                "awareness": "", "alternatives": "", "trial": "Open vragen."}
    page = client.get(response.location, headers=EN)
    assert "Looking back" not in page.text  # an empty part is left out
    assert "Creating alternatives" not in page.text


def test_errors_show_next_to_the_fields_and_keep_the_input(client, login, people):
    login(people["author"])
    response = client.post("/reflections/new?template=gibbs", headers=EN, data={
        "title": "", "feelings": "Mijn gevoel bij de avond", "sharing": "circle", "circle": "",
    })
    assert response.status_code == 422
    text = response.text
    assert "<html" in text
    assert 'id="title-error"' in text and "Give your reflection a short title." in text
    assert 'id="circle-error"' in text
    assert "Choose the circle to share it with, or keep it for yourself." in text
    assert "Mijn gevoel bij de avond</textarea>" in text
    assert 'checked id="sharing-2" name="sharing" type="radio" value="circle"' in text
    assert reflections() == []


def test_at_least_one_part_is_written(client, login, people):
    login(people["author"])
    response = client.post("/reflections/new?template=gibbs", headers=EN,
                           data={"title": "Leeg", "sharing": "private"})
    assert response.status_code == 422
    assert 'id="description-error"' in response.text
    assert "Write at least one part of the reflection." in response.text
    assert 'value="Leeg"' in response.text


def test_the_short_reflections_one_part_is_needed(client, login, people):
    login(people["author"])
    form = client.get("/reflections/new?template=free", headers=EN)
    assert '<label for="answer">' in form.text
    assert "(optional)</span></label>\n<textarea" not in form.text
    response = client.post("/reflections/new?template=free", headers=EN,
                           data={"title": "Kort", "answer": "  ", "sharing": "private"})
    assert response.status_code == 422
    assert 'id="answer-error"' in response.text and "Write your answer." in response.text
    assert reflections() == []


def test_an_invalid_htmx_submit_swaps_the_form_only(client, login, people):
    login(people["author"])
    response = client.post("/reflections/new?template=free", headers=HTMX,
                           data={"title": "", "answer": "Tekst", "sharing": "private"})
    assert response.status_code == 422
    assert "<html" not in response.text
    assert 'id="reflection-form"' in response.text
    assert "Tekst</textarea>" in response.text


def test_a_valid_htmx_submit_goes_to_the_reflection(client, login, people):
    login(people["author"])
    response = client.post("/reflections/new?template=free", headers=HTMX,
                           data={"title": "Kort", "answer": "Tekst", "sharing": "private"})
    [reflection] = reflections()
    assert f"/reflections/{reflection.id}" in response.headers["HX-Location"]


def test_a_bsn_is_refused_and_nothing_is_stored(client, login, people):
    login(people["author"])
    data = gibbs_data(analysis=f"Zijn nummer is {BSN}.", pseudonymised="y")
    response = client.post("/reflections/new?template=gibbs", headers=EN, data=data)
    assert response.status_code == 422
    assert 'id="analysis-error"' in response.text
    assert "Line 1, position 16" in response.text
    assert "citizen service number (BSN)" in response.text
    assert f"<mark>{BSN}</mark>" in response.text
    assert reflections() == []
    assert db.session.execute(sa.select(PrivacyConfirmation)).first() is None


def test_a_bsn_in_the_title_is_refused_too(client, login, people):
    login(people["author"])
    response = client.post("/reflections/new?template=gibbs", headers=EN,
                           data=gibbs_data(title=f"Over {BSN}"))
    assert response.status_code == 422
    assert 'id="title-error"' in response.text
    assert reflections() == []


def test_other_findings_need_the_confirmation_which_is_recorded(client, login, people):
    login(people["author"])
    data = gibbs_data(description="Ik belde haar op 06-12345678.")
    response = client.post("/reflections/new?template=gibbs", headers=EN, data=data)
    assert response.status_code == 422
    assert "<mark>06-12345678</mark>" in response.text
    assert "The privacy guard found a phone number" in response.text
    assert reflections() == []
    response = client.post("/reflections/new?template=gibbs", headers=EN,
                           data={**data, "pseudonymised": "y"})
    assert response.status_code == 303
    [reflection] = reflections()
    confirmation = db.session.execute(sa.select(PrivacyConfirmation)).scalar_one()
    assert (confirmation.user_id, confirmation.subject_type, confirmation.subject_id,
            confirmation.kinds) == (people["author"].id, "reflection", reflection.id, "phone")


def test_a_clean_reflection_records_no_confirmation(client, login, people):
    login(people["author"])
    client.post("/reflections/new?template=gibbs", data=gibbs_data())
    assert len(reflections()) == 1
    assert db.session.execute(sa.select(PrivacyConfirmation)).first() is None


# Sharing and circles -----------------------------------------------------------------------------


def test_the_circle_choices_are_the_writers_active_circles(client, login, people):
    archived = make_circle(members=[people["author"]], name="Oude kring",
                           archived_at=datetime.now(UTC))
    login(people["author"])
    response = client.get("/reflections/new?template=gibbs", headers=EN)
    assert "Kring Hengelo" in response.text
    assert "Kring Enschede" not in response.text
    assert "Oude kring" not in response.text
    response = client.post("/reflections/new?template=gibbs", headers=EN,
                           data=gibbs_data(sharing="mentor", circle=str(people["other"].id)))
    assert response.status_code == 422
    assert "Choose one of your circles." in response.text
    response = client.post("/reflections/new?template=gibbs", headers=EN,
                           data=gibbs_data(sharing="circle", circle=str(archived.id)))
    assert response.status_code == 422
    assert reflections() == []


def test_a_circle_can_be_chosen_in_advance_by_its_members_only(client, login, people):
    circle = people["circle"]
    login(people["author"])
    response = client.get(f"/reflections/new?template=gibbs&circle={circle.id}", headers=EN)
    assert f'<option selected value="{circle.id}">Kring Hengelo</option>' in response.text
    response = client.get(f"/reflections/new?circle={people['other'].id}", headers=EN)
    assert response.status_code == 404


def test_a_private_reflection_may_keep_a_circle_for_the_journal(client, login, people):
    login(people["author"])
    client.post("/reflections/new?template=gibbs",
                data=gibbs_data(circle=str(people["circle"].id)))
    [reflection] = reflections()
    assert (reflection.sharing, reflection.circle_id) == (Sharing.PRIVATE, people["circle"].id)


# About a meeting or a case -----------------------------------------------------------------------


def test_a_reflection_about_a_meeting_belongs_to_its_circle(client, login, people):
    meeting = started_meeting(people["circle"], title="Intervisie april")
    login(people["author"])
    url = f"/reflections/new?template=gibbs&meeting={meeting.id}"
    form = client.get(url, headers=EN)
    assert "About the meeting" in form.text and "Intervisie april" in form.text
    assert "Circle: Kring Hengelo" in form.text
    assert 'name="circle"' not in form.text
    response = client.post(url, headers=EN, data=gibbs_data(sharing="mentor"))
    assert response.status_code == 303
    [reflection] = reflections()
    assert (reflection.meeting_id, reflection.circle_id, reflection.sharing) == (
        meeting.id, people["circle"].id, Sharing.MENTOR)
    page = client.get(response.location, headers=EN)
    assert f'href="/meetings/{meeting.id}"' in page.text


def test_a_meeting_the_writer_cannot_see_gives_404(client, login, people):
    hidden = make_circle(members=[people["other_circle"]], visibility="members")
    meeting = make_meeting(hidden)
    login(people["author"])
    assert client.get(f"/reflections/new?template=gibbs&meeting={meeting.id}").status_code == 404
    assert client.post(f"/reflections/new?template=gibbs&meeting={meeting.id}",
                       data=gibbs_data()).status_code == 404
    assert reflections() == []


def test_a_visitor_of_an_open_circles_meeting_keeps_it_private(client, login, people):
    """The meeting is visible to every signed-in user, but only members share with a circle."""
    meeting = make_meeting(people["other"])
    login(people["author"])
    url = f"/reflections/new?template=gibbs&meeting={meeting.id}"
    response = client.post(url, headers=EN, data=gibbs_data(sharing="circle"))
    assert response.status_code == 422
    assert "You can share only with a circle you are a member of" in response.text
    assert client.post(url, data=gibbs_data()).status_code == 303
    [reflection] = reflections()
    assert (reflection.circle_id, reflection.sharing) == (people["other"].id, Sharing.PRIVATE)


def test_a_reflection_about_a_case(client, login, people):
    case = make_case(people["circle"], people["member"], title="Casus over de buren")
    login(people["author"])
    url = f"/reflections/new?template=alact&case={case.id}"
    assert "Casus over de buren" in client.get(url, headers=EN).text
    response = client.post(url, data={"title": "Leren van Bram", "action": "Luisteren.",
                                      "sharing": "circle"})
    assert response.status_code == 303
    [reflection] = reflections()
    assert (reflection.case_id, reflection.circle_id) == (case.id, people["circle"].id)


def test_another_members_draft_case_gives_404(client, login, people):
    draft = make_case(people["circle"], people["member"], status=CaseStatus.DRAFT)
    login(people["author"])
    assert client.get(f"/reflections/new?template=alact&case={draft.id}").status_code == 404


# Editing and deleting ----------------------------------------------------------------------------


def test_the_author_edits_with_the_form_filled_in(client, login, people):
    reflection = make_reflection(people["author"], template=ReflectionTemplate.GIBBS,
                                 parts=dict(GIBBS), title="Eerste versie", prompt="")
    login(people["author"])
    url = f"/reflections/{reflection.id}/edit"
    form = client.get(url, headers=EN)
    assert 'value="Eerste versie"' in form.text
    assert GIBBS["analysis"] + "</textarea>" in form.text
    assert "Ask me another question" not in form.text
    fragment = client.get(url, headers=HTMX)
    assert "<html" not in fragment.text and 'id="reflection-form"' in fragment.text
    response = client.post(url, data=gibbs_data(title="Tweede versie", sharing="circle",
                                                 circle=str(people["circle"].id)))
    assert response.status_code == 303
    [stored] = reflections()
    assert (stored.title, stored.sharing, stored.circle_id) == (
        "Tweede versie", Sharing.CIRCLE, people["circle"].id)


def test_an_edit_with_errors_keeps_the_input(client, login, people):
    reflection = make_reflection(people["author"], title="Titel")
    login(people["author"])
    response = client.post(f"/reflections/{reflection.id}/edit", headers=EN,
                           data={"title": "Nieuw", "answer": f"BSN {BSN}", "sharing": "private"})
    assert response.status_code == 422
    assert 'value="Nieuw"' in response.text and f"BSN {BSN}</textarea>" in response.text
    assert reflections()[0].title == "Titel"


def test_the_free_prompt_stays_when_editing(client, login, people):
    reflection = make_reflection(people["author"], prompt="yourself")
    login(people["author"])
    form = client.get(f"/reflections/{reflection.id}/edit", headers=EN)
    assert "What did you learn about yourself?" in form.text
    client.post(f"/reflections/{reflection.id}/edit",
                data={"title": "T", "answer": "Anders.", "prompt": "surprised",
                      "sharing": "private"})
    assert reflections()[0].prompt == "yourself"


def test_the_author_deletes(client, login, people):
    reflection = make_reflection(people["author"], title="Weg ermee")
    db.session.add(PrivacyConfirmation(
        user_id=people["author"].id, subject_type="reflection", subject_id=reflection.id
    ))
    db.session.commit()
    login(people["author"])
    response = client.post(f"/reflections/{reflection.id}/delete", headers=EN)
    assert response.status_code == 303 and response.location == "/reflections/"
    assert reflections() == []
    assert db.session.execute(sa.select(PrivacyConfirmation)).first() is None
    assert "The reflection is deleted." in client.get("/reflections/", headers=EN).text


# Who may read, change and delete it --------------------------------------------------------------

ROLES = ("anonymous", "author", "member", "coordinator", "other_circle", "werkplaats_admin",
         "association_admin", "former_member")
READERS = {
    Sharing.PRIVATE: {"author"},
    Sharing.MENTOR: {"author", "coordinator"},
    Sharing.CIRCLE: {"author", "member", "coordinator"},
}


def as_role(client, login, people, role, method, url):
    if role != "anonymous":
        login(people[role])
    response = client.open(url, method=method, headers=EN)
    if role != "anonymous":
        client.post("/account/logout")
    return response


@pytest.mark.parametrize("sharing", list(Sharing))
def test_the_access_matrix(client, login, people, sharing):
    meeting = started_meeting(people["circle"], title="Bijeenkomst")
    reflection = make_reflection(people["author"], sharing=sharing, circle=people["circle"],
                                 meeting=meeting, title="Mijn geheime titel",
                                 parts={"answer": SECRET})
    base = f"/reflections/{reflection.id}"
    for role in ROLES:
        page = as_role(client, login, people, role, "GET", base)
        edit = as_role(client, login, people, role, "GET", f"{base}/edit")
        if role == "anonymous":
            assert page.status_code == edit.status_code == 302
            assert "/account/login" in page.location
        elif role in READERS[sharing]:
            assert page.status_code == 200 and SECRET in page.text, role
            assert edit.status_code == (200 if role == "author" else 403), role
        else:
            assert page.status_code == edit.status_code == 404, role
        for response in (page, edit):
            assert SECRET not in response.text or role in READERS[sharing]
            assert "Mijn geheime titel" not in response.text or role in READERS[sharing]
    for role in ROLES:
        if role == "author":
            continue
        response = as_role(client, login, people, role, "POST", f"{base}/delete")
        expected = 302 if role == "anonymous" else 403 if role in READERS[sharing] else 404
        assert response.status_code == expected, role
        posted = as_role(client, login, people, role, "POST", f"{base}/edit")
        assert posted.status_code == expected, role
    assert reflections()[0].parts == {"answer": SECRET}


def test_a_reader_sees_who_wrote_it(client, login, people):
    reflection = make_reflection(people["author"], sharing=Sharing.CIRCLE,
                                 circle=people["circle"])
    login(people["member"])
    page = client.get(f"/reflections/{reflection.id}", headers=EN)
    assert "By Anna" in page.text
    assert "Edit" not in page.text and "/delete" not in page.text
    fragment = client.get(f"/reflections/{reflection.id}", headers=HTMX)
    assert "<html" not in fragment.text and 'id="reflection"' in fragment.text


def test_a_readers_view_hides_a_draft_case_title(client, login, people):
    draft = make_case(people["circle"], people["author"], title="Concept casus",
                      status=CaseStatus.DRAFT)
    reflection = make_reflection(people["author"], sharing=Sharing.CIRCLE,
                                 circle=people["circle"], case=draft)
    login(people["member"])
    page = client.get(f"/reflections/{reflection.id}", headers=EN)
    assert "Concept casus" not in page.text
    assert "About a case you can no longer open" in page.text


# A circle's shared reflections -------------------------------------------------------------------


def shared_in(people):
    circle = people["circle"]
    return {
        sharing: make_reflection(people["author"], sharing=sharing, circle=circle,
                                 title=f"Gedeeld {sharing.value}")
        for sharing in Sharing
    }


def test_the_circle_list_shows_what_each_member_may_read(client, login, people):
    shared_in(people)
    make_reflection(people["other_circle"], sharing=Sharing.CIRCLE, circle=people["other"],
                    title="Gedeeld elders")
    url = f"/circles/{people['circle'].id}/reflections"
    seen = {}
    for role in ROLES:
        response = as_role(client, login, people, role, "GET", url)
        seen[role] = {s.value for s in Sharing if f"Gedeeld {s.value}" in response.text}
        assert "Gedeeld elders" not in response.text
        if role in ("member", "coordinator", "author"):
            assert response.status_code == 200
        else:
            assert response.status_code == (302 if role == "anonymous" else 404), role
    assert seen == {
        "anonymous": set(), "author": {"circle"}, "member": {"circle"},
        "coordinator": {"circle", "mentor"}, "other_circle": set(), "werkplaats_admin": set(),
        "association_admin": set(), "former_member": set(),
    }


def test_the_circle_list_page_and_fragment(client, login, people):
    shared_in(people)
    login(people["coordinator"])
    url = f"/circles/{people['circle'].id}/reflections"
    page = client.get(url, headers=EN)
    assert "<html" in page.text and "Shared reflections" in page.text
    assert "Anna" in page.text
    assert "with you as its coordinator" in page.text
    fragment = client.get(url, headers=HTMX)
    assert "<html" not in fragment.text and 'id="circle-reflections"' in fragment.text


def test_the_circle_list_when_nothing_is_shared(client, login, people):
    login(people["member"])
    page = client.get(f"/circles/{people['circle'].id}/reflections", headers=EN)
    assert "Nobody has shared a reflection with this circle yet." in page.text
    assert f"/reflections/new?circle={people['circle'].id}" in page.text


def test_the_circle_page_links_its_members_to_the_shared_reflections(client, login, people):
    url = f"/circles/{people['circle'].id}"
    login(people["member"])
    page = client.get(url).text
    assert f"{url}/reflections" in page
    assert "Reflecties die met deze leerkring zijn gedeeld" in page
    client.post("/account/logout")
    login(people["association_admin"])
    assert f"{url}/reflections" not in client.get(url).text


def test_the_circle_list_runs_a_fixed_number_of_queries(client, login, people, count_queries,
                                                         app):
    circle, author = people["circle"], people["author"]
    make_reflection(author, sharing=Sharing.CIRCLE, circle=circle)
    login(people["coordinator"])
    url = f"/circles/{circle.id}/reflections"
    with count_queries() as small:
        client.get(url)
    for n in range(app.config["PER_PAGE"] + 5):
        meeting = make_meeting(circle) if n % 3 == 0 else None
        case = make_case(circle, people["member"]) if n % 3 == 1 else None
        writer = make_user()
        circle_services.add_member(circle, writer)
        make_reflection(writer, sharing=Sharing.CIRCLE if n % 2 else Sharing.MENTOR,
                        circle=circle, meeting=meeting, case=case)
    with count_queries() as large:
        response = client.get(url, headers=EN)
    assert "Page 1 of 2" in response.text
    assert small.count == large.count


# On the meeting page -----------------------------------------------------------------------------


def test_a_member_is_offered_to_reflect_once_the_meeting_started(client, login, people):
    started = started_meeting(people["circle"])
    coming = make_meeting(people["circle"])
    login(people["author"])
    page = client.get(f"/meetings/{started.id}", headers=EN).text
    assert "Write your reflection on this meeting" in page
    assert f"/reflections/new?meeting={started.id}" in page
    assert "Write your reflection on this meeting" not in client.get(
        f"/meetings/{coming.id}", headers=EN).text


def test_the_meeting_page_links_the_members_own_reflection(client, login, people):
    meeting = started_meeting(people["circle"])
    make_reflection(people["author"], meeting=meeting, circle=people["circle"],
                    title="Mijn avond")
    login(people["author"])
    page = client.get(f"/meetings/{meeting.id}", headers=EN).text
    assert "You wrote a reflection on this meeting" in page and "Mijn avond" in page
    assert "Write your reflection on this meeting" not in page
    client.post("/account/logout")
    login(people["member"])  # Anna's private reflection is hers alone
    page = client.get(f"/meetings/{meeting.id}", headers=EN).text
    assert "Mijn avond" not in page
    assert "Write your reflection on this meeting" in page


def test_non_members_are_not_offered_to_reflect(client, login, people):
    meeting = started_meeting(people["circle"])
    login(people["werkplaats_admin"])
    page = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert page.status_code == 200
    assert "Write your reflection on this meeting" not in page.text


def test_the_meeting_section_adds_one_query(client, login, people, count_queries):
    meeting = started_meeting(people["circle"])
    login(people["author"])
    with count_queries() as small:
        client.get(f"/meetings/{meeting.id}")
    for _ in range(10):
        make_reflection(people["author"], meeting=meeting, circle=people["circle"])
        make_reflection(people["member"], meeting=meeting, circle=people["circle"],
                        sharing=Sharing.CIRCLE)
    with count_queries() as large:
        client.get(f"/meetings/{meeting.id}")
    assert small.count == large.count


# The reminder ------------------------------------------------------------------------------------


def test_the_reminder_links_to_the_form_for_its_meeting(client, login, mailbox, people):
    from tests.meetings.reminder_helpers import amsterdam, plan, tick, utc

    anna = people["author"]
    anna.locale = "en"
    db.session.commit()
    meeting = plan(people["circle"], people["coordinator"], amsterdam(2027, 11, 2, 19, 30))
    db.session.add(Attendance(meeting_id=meeting.id, user_id=anna.id,
                              method=CheckInMethod.CODE))
    db.session.commit()
    mailbox.clear()
    tick(utc(2027, 11, 2, 22, 0))
    [message] = [m for m in mailbox.to(anna.email)
                 if m["Subject"].startswith("Write your reflection")]
    link = f"http://leerkring.test/reflections/new?meeting={meeting.id}"
    assert link in mailbox.text(message)
    login(anna)
    page = client.get(link.removeprefix("http://leerkring.test"), headers=EN)
    assert page.status_code == 200
    assert "About the meeting" in page.text and "Intervisie" in page.text
    assert f"template=gibbs&amp;meeting={meeting.id}" in page.text


# Languages ---------------------------------------------------------------------------------------


def test_the_form_in_english_and_dutch(client, login, people):
    login(people["author"])
    english = client.get("/reflections/new?template=gibbs", headers=EN)
    assert '<html lang="en">' in english.text
    assert "I have checked: this is pseudonymised" in english.text
    dutch = client.post("/reflections/new?template=gibbs",
                        data=gibbs_data(analysis=f"Nummer {BSN}"))
    assert '<html lang="nl">' in dutch.text
    assert "Regel 1, positie 8" in dutch.text
    for words in ("Reflectiecyclus van Gibbs", "Gevoelens", "Wie kan het lezen", "Alleen ik",
                  "Reflectie opslaan", ">Reflecties</a>"):
        assert words in dutch.text
