"""Share what we learned: a closed case's lesson and a visit report become draft library items,
prefilled from their source, with the author's consent and the privacy guard run again; only
the author shares, and a shared source links to its item instead of offering the button."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.library.models import ItemKind, ItemStatus, LibraryItem
from leerkring.notes.models import CaseStatus, PrivacyConfirmation
from leerkring.visits.models import VisitReport
from tests.factories import (
    add_member,
    make_case,
    make_circle,
    make_user,
    make_visit,
    theme,
    werkplaats,
)

EN = {"Accept-Language": "en"}
NL = {"Accept-Language": "nl"}
#: Passes the 11-proef: a citizen service number the guard refuses.
BSN = "111222333"
LESSON = ("Vraag eerst wat iemand zelf al geprobeerd heeft.\n\n"
          "Een vaste contactpersoon maakt het verschil bij mensen die afspraken afzeggen.")
CONSENT = "I agree that this is shared in the national library"


def closed_case(author=None, lesson=LESSON, **kw):
    """A closed case with the circle's lesson, in a circle on Armoede in Twente."""
    author = author or make_user()
    circle = kw.pop("circle", None) or make_circle(
        members=[author], name="Armoede Hengelo", theme=theme("armoede"),
    )
    case = make_case(circle, author, title="Contact houden", status=CaseStatus.CLOSED,
                     closed_at=datetime.now(UTC), takeaway="Rustig aan.", lesson=lesson, **kw)
    return case, author


def checked_themes(html: str) -> set[int]:
    return {int(value) for value in re.findall(
        r'<input checked id="themes-\d+" name="themes" type="checkbox" value="(\d+)"', html)}


def items() -> list[LibraryItem]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(LibraryItem).order_by(LibraryItem.id)).scalars())


def share_data(**kw) -> dict:
    data = {
        "title": "Contact houden met wie afzegt",
        "summary": "Een vaste contactpersoon helpt.",
        "body": LESSON,
        "other_authors": "Leerkring Armoede Hengelo",
        "themes": [str(theme("armoede").id)],
        "werkplaats": str(werkplaats("twente").id),
        "pseudonymised": "y",
    }
    data.update(kw)
    return {key: value for key, value in data.items() if value is not None}


# A closed case's lesson -------------------------------------------------------------------------


def test_the_author_shares_a_closed_cases_lesson_as_a_draft(client, login):
    case, author = closed_case()
    login(author)
    page = client.get(f"/notes/{case.id}", headers=EN)
    assert "Share what we learned in the library" in page.text
    assert f"/library/share/case/{case.id}" in page.text

    form = client.get(f"/library/share/case/{case.id}", headers=EN)
    assert form.status_code == 200 and "<html" in form.text
    assert "Share in the library" in form.text and "Lesson from a circle" in form.text
    assert 'value="Contact houden"' in form.text
    assert "Een vaste contactpersoon maakt het verschil" in form.text
    assert "Vraag eerst wat iemand zelf al geprobeerd heeft." in form.text
    assert 'value="Armoede Hengelo"' in form.text
    assert checked_themes(form.text) == {theme("armoede").id}
    assert f'<option selected value="{werkplaats("twente").id}">' in form.text
    assert CONSENT in form.text

    saved = client.post(f"/library/share/case/{case.id}", data=share_data(), headers=EN)
    [item] = items()
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"/library/{item.id}/edit")
    assert item.status == ItemStatus.DRAFT and item.kind == ItemKind.LESSON
    assert item.case_id == case.id and item.visit_report_id is None
    assert item.created_by_id == author.id and [u.id for u in item.authors] == [author.id]
    assert item.title == "Contact houden met wie afzegt" and item.body == LESSON
    assert item.other_authors == "Leerkring Armoede Hengelo"
    assert [t.slug for t in item.themes] == ["armoede"]
    assert [w.slug for w in item.werkplaatsen] == ["twente"]
    assert item.year == datetime.now(UTC).year
    confirmation = db.session.execute(
        sa.select(PrivacyConfirmation).filter_by(subject_type="library_item", subject_id=item.id)
    ).scalar_one()
    assert confirmation.user_id == author.id

    page = client.get(f"/notes/{case.id}", headers=EN)
    assert "Shared in the library" in page.text
    assert f'href="/library/{item.id}/contact-houden-met-wie-afzegt"' in page.text
    assert "Share what we learned in the library" not in page.text
    again = client.get(f"/library/share/case/{case.id}", headers=EN)
    assert again.status_code == 303
    assert again.headers["Location"].endswith(f"/library/{item.id}/contact-houden-met-wie-afzegt")
    edit = client.get(f"/library/{item.id}/edit", headers=EN)
    assert "This is already shared in the library." in edit.text
    assert 'value="Contact houden met wie afzegt"' in edit.text
    assert len(items()) == 1


def test_consent_is_required_and_the_input_is_kept(client, login):
    case, author = closed_case()
    login(author)
    response = client.post(
        f"/library/share/case/{case.id}",
        data=share_data(pseudonymised=None, title="Mijn eigen titel"), headers=EN,
    )
    assert response.status_code == 422
    assert "Tick the box to agree that this is shared in the library" in response.text
    assert 'value="Mijn eigen titel"' in response.text
    assert "Een vaste contactpersoon helpt." in response.text
    assert items() == []


def test_a_bsn_is_refused_and_other_findings_are_named(client, login):
    case, author = closed_case()
    login(author)
    response = client.post(
        f"/library/share/case/{case.id}",
        data=share_data(body=f"Mevrouw met BSN {BSN} belde terug."), headers=EN,
    )
    assert response.status_code == 422
    assert "citizen service number (BSN)" in response.text
    assert f"Mevrouw met BSN {BSN} belde terug." in response.text
    assert items() == []

    response = client.post(
        f"/library/share/case/{case.id}",
        data=share_data(summary="Bel 06-12345678 voor meer.", pseudonymised=None), headers=EN,
    )
    assert response.status_code == 422 and "phone number" in response.text
    assert items() == []
    client.post(f"/library/share/case/{case.id}",
                data=share_data(summary="Bel 06-12345678 voor meer."), headers=EN)
    [item] = items()
    confirmation = db.session.execute(
        sa.select(PrivacyConfirmation).filter_by(subject_type="library_item", subject_id=item.id)
    ).scalar_one()
    assert confirmation.kinds == "phone"


def test_missing_fields_and_choices_not_offered_are_refused(client, login):
    case, author = closed_case()
    login(author)
    response = client.post(
        f"/library/share/case/{case.id}",
        data=share_data(title="", body="", themes=["999999"], werkplaats="999999"), headers=EN,
    )
    assert response.status_code == 422
    for message in ("Give it a title.", "Write the text to share.",
                    "Choose among the themes shown.", "Choose a Werkplaats from the list."):
        assert message in response.text
    assert items() == []


def test_a_national_circles_lesson_is_national_and_may_stay_without_themes(client, login):
    author = make_user()
    circle = make_circle(members=[author], werkplaats=None, name="Landelijk")
    case, _ = closed_case(author, circle=circle)
    login(author)
    form = client.get(f"/library/share/case/{case.id}", headers=EN)
    assert '<option selected value="">National (no Werkplaats)</option>' in form.text
    client.post(f"/library/share/case/{case.id}",
                data=share_data(themes=None, werkplaats=""), headers=EN)
    [item] = items()
    assert item.werkplaatsen == [] and item.themes == []


def test_only_the_author_shares_and_a_stranger_does_not_see_the_case(client, login):
    case, author = closed_case()
    member = make_user()
    add_member(case.circle, member)
    login(member)
    page = client.get(f"/notes/{case.id}", headers=EN)
    assert page.status_code == 200
    assert "Share what we learned in the library" not in page.text
    assert client.get(f"/library/share/case/{case.id}", headers=EN).status_code == 403
    assert client.post(f"/library/share/case/{case.id}", data=share_data(),
                       headers=EN).status_code == 403
    client.post("/account/logout")
    login(make_user())
    assert client.get(f"/library/share/case/{case.id}", headers=EN).status_code == 404
    assert client.post(f"/library/share/case/{case.id}", data=share_data(),
                       headers=EN).status_code == 404
    assert items() == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    case, _ = closed_case()
    response = client.get(f"/library/share/case/{case.id}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("state", ["shared", "no lesson"])
def test_only_a_closed_case_with_a_lesson_is_shared(client, login, state):
    if state == "shared":
        author = make_user()
        circle = make_circle(members=[author])
        case = make_case(circle, author, lesson=LESSON)
    else:
        case, author = closed_case(lesson="")
    login(author)
    page = client.get(f"/notes/{case.id}", headers=EN)
    assert "Share what we learned in the library" not in page.text
    assert client.get(f"/library/share/case/{case.id}", headers=EN).status_code == 403


def test_a_member_sees_that_the_lesson_is_shared_without_a_link_to_the_draft(client, login):
    case, author = closed_case()
    member = make_user()
    add_member(case.circle, member)
    login(author)
    client.post(f"/library/share/case/{case.id}", data=share_data(), headers=EN)
    [item] = items()
    client.post("/account/logout")
    login(member)
    page = client.get(f"/notes/{case.id}", headers=EN)
    assert "Shared in the library" in page.text
    assert f'href="/library/{item.id}/' not in page.text


# A visit report ---------------------------------------------------------------------------------


def make_report(author, **kw) -> VisitReport:
    visit = make_visit(make_user(), title="Buurtkamer De Esch",
                       starts_at=datetime.now(UTC) - timedelta(days=1))
    visit.themes = [theme("armoede"), theme("sociale-basis")]
    kw.setdefault("saw", "Een buurtteam dat samen met bewoners de agenda maakt.")
    kw.setdefault("surprised", "Hoe weinig regels er waren.")
    kw.setdefault("take_home", "Bewoners eerder laten meepraten.")
    report = VisitReport(visit_id=visit.id, author_id=author.id, **kw)
    db.session.add(report)
    db.session.commit()
    return report


def test_the_author_shares_a_visit_report_as_a_draft(client, login):
    author = make_user(home_werkplaats=werkplaats("noord"))
    report = make_report(author)
    login(author)
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Share what we learned in the library" in page.text

    form = client.get(f"/library/share/visit-report/{report.id}", headers=EN)
    assert form.status_code == 200 and "Visit report" in form.text
    assert 'value="Kitchen visit: Buurtkamer De Esch"' in form.text
    assert "## What I saw\n\nEen buurtteam" in form.text
    assert "## What surprised me\n\nHoe weinig regels" in form.text
    assert "## What I take home\n\nBewoners eerder laten meepraten." in form.text
    assert f'<option selected value="{werkplaats("noord").id}">' in form.text
    assert checked_themes(form.text) == {theme("armoede").id, theme("sociale-basis").id}

    body = "## What I saw\n\nEen buurtteam.\n\n## What I take home\n\nMeepraten."
    saved = client.post(
        f"/library/share/visit-report/{report.id}",
        data=share_data(title="Keukenbezoek De Esch", body=body, other_authors="",
                        themes=[str(theme("sociale-basis").id)],
                        werkplaats=str(werkplaats("noord").id)),
        headers=EN,
    )
    [item] = items()
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"/library/{item.id}/edit")
    edit = client.get(saved.headers["Location"], headers=EN)
    assert "The draft is in the library." in edit.text
    assert item.kind == ItemKind.VISIT_REPORT and item.status == ItemStatus.DRAFT
    assert item.visit_report_id == report.id and item.case_id is None
    assert item.body == body and item.created_by_id == author.id
    assert [t.slug for t in item.themes] == ["sociale-basis"]
    assert [w.slug for w in item.werkplaatsen] == ["noord"]
    stored = db.session.get(VisitReport, report.id)
    assert stored.is_offered_to_library and stored.library_consent_at is not None

    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert "Shared in the library" in page.text
    assert f'href="/library/{item.id}/keukenbezoek-de-esch"' in page.text


def test_a_report_needs_consent_and_refuses_a_bsn(client, login):
    author = make_user()
    report = make_report(author)
    login(author)
    response = client.post(f"/library/share/visit-report/{report.id}",
                           data=share_data(pseudonymised=None), headers=EN)
    assert response.status_code == 422 and "Tick the box to agree" in response.text
    response = client.post(f"/library/share/visit-report/{report.id}",
                           data=share_data(title=f"Bezoek {BSN}"), headers=EN)
    assert response.status_code == 422 and "citizen service number (BSN)" in response.text
    assert items() == []
    assert not db.session.get(VisitReport, report.id).is_offered_to_library


def test_only_the_reports_author_shares_it(client, login):
    author = make_user()
    report = make_report(author)
    host = db.session.get(VisitReport, report.id).visit.host
    login(host)
    page = client.get(f"/visits/reports/{report.id}", headers=EN)
    assert page.status_code == 200 and "Share what we learned" not in page.text
    assert client.get(f"/library/share/visit-report/{report.id}",
                      headers=EN).status_code == 403
    client.post("/account/logout")
    login(make_user())
    assert client.get(f"/library/share/visit-report/{report.id}",
                      headers=EN).status_code == 404
    assert client.post(f"/library/share/visit-report/{report.id}", data=share_data(),
                       headers=EN).status_code == 404
    assert items() == []


# Languages --------------------------------------------------------------------------------------


def test_the_share_form_in_english_and_dutch(client, login):
    case, author = closed_case()
    login(author)
    english = client.get(f"/library/share/case/{case.id}", headers=EN)
    assert "Share in the library" in english.text and "Save as draft in the library" in english.text
    dutch = client.get(f"/library/share/case/{case.id}", headers=NL)
    assert "Opslaan als concept in de bibliotheek" in dutch.text
    assert "Les uit een leerkring" in dutch.text and "Save as draft" not in dutch.text
