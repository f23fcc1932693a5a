"""The Werkplaatsen and theme pages: what each visitor sees, who may change what, query counts."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from leerkring.circles.models import Circle, JoinMode, Visibility
from leerkring.extensions import db
from leerkring.models import User, Werkplaats
from tests.factories import (
    make_admin,
    make_circle,
    make_user,
    make_werkplaats_admin,
    theme,
    werkplaats,
)

ENGLISH = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true"}


def make_circles(count: int, **kw) -> None:
    """Many circles in one commit, for the query counts."""
    kw.setdefault("werkplaats", werkplaats())
    kw.setdefault("theme", theme())
    db.session.add_all(Circle(name=f"Kring {n:03d}", **kw) for n in range(count))
    db.session.commit()


def table_row(html: str, slug: str) -> list[str]:
    """The numbers in the overview row of the Werkplaats with ``slug``."""
    pattern = rf'<tr>\s*<th scope="row">\s*<a href="/werkplaatsen/{slug}">.*?</tr>'
    row = re.search(pattern, html, re.S)
    assert row, f"no row for {slug}"
    return re.findall(r'<td class="number">(\d+)</td>', row.group(0))


def archived() -> datetime:
    return datetime.now(UTC)


# /werkplaatsen/ -----------------------------------------------------------------------------


def test_overview_lists_every_werkplaats_with_active_circles_and_members(client):
    make_circle(name="Armoede in de wijk")
    make_circle(name="Oude kring", archived_at=archived())
    make_user(home_werkplaats=werkplaats("twente"))
    make_user(home_werkplaats=werkplaats("twente"))
    make_user(home_werkplaats=werkplaats("friesland"))

    page = client.get("/werkplaatsen/")

    assert "Actieve leerkringen" in page.text
    assert table_row(page.text, "twente") == ["1", "2"]
    assert table_row(page.text, "friesland") == ["0", "1"]
    assert len(re.findall(r'<th scope="row">', page.text)) == 16
    zeeland = re.search(r'href="/werkplaatsen/zeeland">.*?</th>', page.text, re.S).group(0)
    assert "in oprichting" in zeeland


def test_overview_shows_the_association_separately_with_the_national_circles(client):
    make_circle(name="Landelijke impactkring", werkplaats=None)
    make_user(home_werkplaats=werkplaats("associatie"))

    page = client.get("/werkplaatsen/")

    table = re.search(r"<table.*</table>", page.text, re.S).group(0)
    assert "/werkplaatsen/associatie" not in table
    national = page.text.split('id="association-heading"')[1]
    assert "Landelijk" in page.text
    assert "Associatie Werkplaatsen Sociaal Domein" in national
    assert "1 actieve landelijke leerkring" in national
    assert "1 lid" in national


def test_overview_in_english(client):
    page = client.get("/werkplaatsen/", headers=ENGLISH)
    assert "Active circles" in page.text
    assert "Nationally" in page.text
    zeeland = re.search(r'href="/werkplaatsen/zeeland">.*?</th>', page.text, re.S).group(0)
    assert "in formation" in zeeland


def test_overview_counts_members_only_circles_for_their_members_alone(client, login):
    member = make_user()
    make_circle(visibility=Visibility.MEMBERS, members=[member])

    assert table_row(client.get("/werkplaatsen/").text, "twente") == ["0", "1"]
    login(member)
    assert table_row(client.get("/werkplaatsen/").text, "twente") == ["1", "1"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_overview_runs_a_fixed_number_of_queries(client, login, count_queries, signed_in):
    if signed_in:
        login(make_user())
    make_circles(5)
    with count_queries() as few:
        client.get("/werkplaatsen/")
    make_circles(195, werkplaats=werkplaats("friesland"))
    with count_queries() as many:
        page = client.get("/werkplaatsen/")
    assert table_row(page.text, "friesland")[0] == "195"
    assert few.count == many.count


# /werkplaatsen/<slug> -----------------------------------------------------------------------


def test_werkplaats_page_shows_description_circles_meetings_and_no_admins_to_anonymous(client):
    make_werkplaats_admin(name="Beheerder Bram")
    circle = make_circle(name="Armoede in de wijk", theme=theme("armoede"))
    make_circle(name="Geheime kring", visibility=Visibility.MEMBERS)
    make_circle(name="Afgesloten kring", archived_at=archived())
    make_circle(name="Friese kring", werkplaats=werkplaats("friesland"))

    page = client.get("/werkplaatsen/twente")

    assert "<h1>Twente</h1>" in page.text
    assert "leren hier samen in leerkringen" in page.text
    assert f'href="/circles/{circle.id}"' in page.text
    assert "Armoede in de wijk" in page.text
    assert 'href="/themes/armoede"' in page.text
    assert "Geheime kring" not in page.text
    assert "Afgesloten kring" not in page.text
    assert "Friese kring" not in page.text
    assert "Komende bijeenkomsten" in page.text
    assert "Er zijn nog geen bijeenkomsten gepland" in page.text
    assert "Beheerder Bram" not in page.text
    assert "om te zien wie deze Werkplaats beheert" in page.text
    assert "Beschrijving bewerken" not in page.text


def test_werkplaats_page_shows_admins_and_own_members_only_circles_to_signed_in_users(
    client, login
):
    make_werkplaats_admin(name="Beheerder Bram")
    member = make_user()
    make_circle(name="Geheime kring", visibility=Visibility.MEMBERS, members=[member])
    make_circle(name="Andermans geheime kring", visibility=Visibility.MEMBERS)
    make_circle(name="Afgesloten kring", archived_at=archived(), members=[member])
    login(member)

    page = client.get("/werkplaatsen/twente")

    assert "Beheerder Bram" in page.text
    assert "Geheime kring" in page.text
    assert "Alleen voor deelnemers" in page.text
    assert "Andermans geheime kring" not in page.text
    assert "Afgesloten kring" not in page.text
    assert "Beschrijving bewerken" not in page.text
    assert "Aanstellen als beheerder" not in page.text


def test_werkplaats_admins_find_the_members_only_circles_they_oversee(client, login):
    make_circle(name="Geheime kring", visibility=Visibility.MEMBERS)
    make_circle(name="Friese geheime kring", visibility=Visibility.MEMBERS,
                werkplaats=werkplaats("friesland"))
    login(make_werkplaats_admin("twente"))
    assert "Geheime kring" in client.get("/werkplaatsen/twente").text
    assert "Friese geheime kring" not in client.get("/werkplaatsen/friesland").text


def test_werkplaats_page_in_english(client):
    make_circle(name="Armoede in de wijk", max_members=1)
    page = client.get("/werkplaatsen/twente", headers=ENGLISH)
    assert "Upcoming meetings" in page.text
    assert "No meetings are planned yet" in page.text
    assert "to see who runs this Werkplaats" in page.text
    assert "1 place left" in page.text
    assert '<html lang="en">' in page.text


def test_werkplaats_page_says_what_to_do_without_circles(client):
    page = client.get("/werkplaatsen/flevoland")
    assert "Er zijn hier nog geen leerkringen." in page.text
    assert 'href="/circles/"' in page.text


def test_werkplaats_page_marks_a_full_circle_and_its_join_mode(client):
    member = make_user()
    make_circle(name="Volle kring", max_members=1, members=[member], join_mode=JoinMode.ON_REQUEST)
    page = client.get("/werkplaatsen/twente")
    item = page.text.split("Volle kring")[1].split("</article>")[0]
    assert "Vol" in item
    assert "1 lid" in item
    assert "Aanmelden op verzoek" in item


def test_association_page_lists_the_national_circles(client):
    make_circle(name="Landelijke impactkring", werkplaats=None)
    make_circle(name="Twentse kring")
    page = client.get("/werkplaatsen/associatie")
    assert "Landelijke leerkringen" in page.text
    assert "Landelijke impactkring" in page.text
    assert "Twentse kring" not in page.text


def test_unknown_werkplaats_is_not_found(client):
    page = client.get("/werkplaatsen/atlantis")
    assert page.status_code == 404
    assert "Pagina niet gevonden" in page.text


def test_werkplaats_circles_as_page_and_as_fragment(client):
    make_circle(name="Armoede in de wijk")
    page = client.get("/werkplaatsen/twente")
    assert "<html" in page.text
    fragment = client.get("/werkplaatsen/twente", headers=HTMX)
    assert "<html" not in fragment.text
    assert 'id="werkplaats-circles"' in fragment.text
    assert "Armoede in de wijk" in fragment.text


@pytest.mark.parametrize("app_overrides", [{"PER_PAGE": 2}])
def test_werkplaats_circles_are_paginated(client):
    make_circles(3)
    first = client.get("/werkplaatsen/twente")
    assert "Kring 000" in first.text and "Kring 001" in first.text
    assert "Kring 002" not in first.text
    assert 'href="/werkplaatsen/twente?page=2"' in first.text
    second = client.get("/werkplaatsen/twente?page=2", headers=HTMX)
    assert "Kring 002" in second.text
    assert "Kring 000" not in second.text


@pytest.mark.parametrize("signed_in", [False, True])
def test_werkplaats_page_runs_a_fixed_number_of_queries(client, login, count_queries, signed_in):
    if signed_in:
        login(make_admin())
    make_werkplaats_admin()
    make_circles(5)
    with count_queries() as few:
        client.get("/werkplaatsen/twente")
    make_circles(195)
    with count_queries() as many:
        page = client.get("/werkplaatsen/twente")
    assert "Kring 000" in page.text
    assert few.count == many.count


# Editing the description --------------------------------------------------------------------


def description_of(slug: str) -> str:
    return db.session.scalar(sa.select(Werkplaats.description).filter_by(slug=slug))


def test_werkplaats_admin_edits_the_description_of_their_own_werkplaats(client, login):
    login(make_werkplaats_admin("twente"))
    assert "Beschrijving bewerken" in client.get("/werkplaatsen/twente").text

    response = client.post("/werkplaatsen/twente/description",
                           data={"description": "Wij werken in Twente.\n\nKom langs!"})

    assert response.status_code == 303
    assert response.location.endswith("/werkplaatsen/twente")
    assert description_of("twente") == "Wij werken in Twente.\n\nKom langs!"
    page = client.get("/werkplaatsen/twente")
    assert '<p class="multiline">Kom langs!</p>' in page.text
    assert "De beschrijving van Twente is opgeslagen." in page.text


def test_werkplaats_admin_cannot_edit_another_werkplaats(client, login):
    login(make_werkplaats_admin("twente"))
    before = description_of("friesland")
    assert "Beschrijving bewerken" not in client.get("/werkplaatsen/friesland").text

    response = client.post(
        "/werkplaatsen/friesland/description", data={"description": "Overgenomen"}
    )

    assert response.status_code == 403
    assert "Geen toegang" in response.text
    assert description_of("friesland") == before


def test_member_cannot_edit_a_description(client, login):
    login(make_user())
    response = client.post("/werkplaatsen/twente/description", data={"description": "Van mij"})
    assert response.status_code == 403
    assert description_of("twente") != "Van mij"


def test_anonymous_visitor_is_sent_to_log_in_before_editing(client):
    response = client.post("/werkplaatsen/twente/description", data={"description": "Anoniem"})
    assert response.status_code == 302
    assert "/account/login" in response.location
    assert description_of("twente") != "Anoniem"


def test_association_admin_edits_any_description(client, login):
    login(make_admin())
    client.post("/werkplaatsen/friesland/description", data={"description": "Friesland leert."})
    assert description_of("friesland") == "Friesland leert."


def test_description_errors_are_shown_and_input_kept(client, login):
    login(make_werkplaats_admin("twente"))
    too_long = "Te lang verhaal " * 400

    response = client.post("/werkplaatsen/twente/description", data={"description": too_long})

    assert response.status_code == 422
    assert "<html" in response.text
    assert "Houd de beschrijving onder de 5000 tekens." in response.text
    assert too_long.strip() in response.text
    assert "<details open>" in response.text
    assert description_of("twente") != too_long.strip()

    empty = client.post("/werkplaatsen/twente/description", data={"description": "  "},
                        headers=ENGLISH)
    assert empty.status_code == 422
    assert "Write a short description of the Werkplaats." in empty.text


def test_description_edit_as_fragment(client, login):
    login(make_werkplaats_admin("twente"))

    saved = client.post("/werkplaatsen/twente/description", data={"description": "Nieuw."},
                        headers=HTMX)

    assert saved.status_code == 200
    assert "<html" not in saved.text
    assert 'id="werkplaats-description"' in saved.text
    assert "Nieuw." in saved.text
    assert 'id="flashes" hx-swap-oob="true"' in saved.text
    assert "De beschrijving van Twente is opgeslagen." in saved.text

    invalid = client.post("/werkplaatsen/twente/description", data={"description": ""},
                          headers=HTMX)
    assert invalid.status_code == 422
    assert "<html" not in invalid.text
    assert 'id="werkplaats-description"' in invalid.text
    assert "Schrijf een korte beschrijving van de Werkplaats." in invalid.text


# Appointing admins --------------------------------------------------------------------------


def admins_of(slug: str) -> list[str]:
    return [user.email for user in werkplaats(slug).admins]


def test_association_admin_appoints_and_removes_a_werkplaats_admin(client, login):
    login(make_admin())
    future = make_user(email="noor@example.org", name="Noor Veldkamp")

    response = client.post("/werkplaatsen/friesland/admins", data={"email": " Noor@Example.org "})

    assert response.status_code == 303
    assert admins_of("friesland") == ["noor@example.org"]
    page = client.get("/werkplaatsen/friesland")
    assert "Noor Veldkamp is nu beheerder van Friesland." in page.text
    assert "noor@example.org" in page.text

    response = client.post(f"/werkplaatsen/friesland/admins/{future.id}/remove")

    assert response.status_code == 303
    db.session.expire_all()
    assert admins_of("friesland") == []
    assert "Noor Veldkamp is geen beheerder meer van Friesland." in client.get(
        "/werkplaatsen/friesland").text


def test_appointing_an_unknown_address_says_so_and_keeps_the_input(client, login):
    login(make_admin())

    response = client.post("/werkplaatsen/friesland/admins", data={"email": "niemand@example.org"})

    assert response.status_code == 422
    assert "Er is geen account met dit e-mailadres." in response.text
    assert 'value="niemand@example.org"' in response.text
    assert admins_of("friesland") == []


def test_appointing_form_errors(client, login):
    login(make_admin())
    make_werkplaats_admin("friesland", email="al@example.org")

    invalid = client.post("/werkplaatsen/friesland/admins", data={"email": "geen-adres"})
    assert invalid.status_code == 422
    assert "Vul een geldig e-mailadres in" in invalid.text
    assert 'value="geen-adres"' in invalid.text

    twice = client.post("/werkplaatsen/friesland/admins", data={"email": "al@example.org"},
                        headers=ENGLISH)
    assert twice.status_code == 422
    assert "This person is already an admin of this Werkplaats." in twice.text


def test_werkplaats_admin_cannot_appoint_or_remove_admins(client, login):
    own = make_werkplaats_admin("twente")
    colleague = make_werkplaats_admin("twente")
    make_user(email="nieuw@example.org")
    login(own)
    assert "Aanstellen als beheerder" not in client.get("/werkplaatsen/twente").text

    appoint = client.post("/werkplaatsen/twente/admins", data={"email": "nieuw@example.org"})
    remove = client.post(f"/werkplaatsen/twente/admins/{colleague.id}/remove")

    assert appoint.status_code == 403
    assert remove.status_code == 403
    assert sorted(admins_of("twente")) == sorted([own.email, colleague.email])


def test_appointing_as_fragment(client, login):
    login(make_admin())
    make_user(email="noor@example.org", name="Noor Veldkamp")

    saved = client.post("/werkplaatsen/friesland/admins", data={"email": "noor@example.org"},
                        headers=HTMX)
    assert saved.status_code == 200
    assert "<html" not in saved.text
    assert 'id="werkplaats-admins"' in saved.text
    assert "Noor Veldkamp" in saved.text
    assert 'hx-swap-oob="true"' in saved.text

    invalid = client.post("/werkplaatsen/friesland/admins", data={"email": ""}, headers=HTMX)
    assert invalid.status_code == 422
    assert "<html" not in invalid.text
    assert 'id="werkplaats-admins"' in invalid.text
    assert "Vul een e-mailadres in." in invalid.text

    noor = db.session.scalar(sa.select(User).filter_by(email="noor@example.org"))
    removed = client.post(f"/werkplaatsen/friesland/admins/{noor.id}/remove", headers=HTMX)
    assert removed.status_code == 200
    assert "<html" not in removed.text
    assert 'id="werkplaats-admins"' in removed.text
    assert "Deze Werkplaats heeft nog geen beheerders." in removed.text
    assert "Noor Veldkamp is geen beheerder meer van Friesland." in removed.text


def test_removing_an_unknown_account_is_not_found(client, login):
    login(make_admin())
    assert client.post("/werkplaatsen/twente/admins/999999/remove").status_code == 404


# /themes/ -----------------------------------------------------------------------------------


def test_themes_page_lists_theme_groups_and_the_programme_with_periods_and_counts(client):
    make_circle(theme=theme("armoede"))
    make_circle(theme=theme("armoede"), werkplaats=werkplaats("friesland"))
    make_circle(theme=theme("armoede"), visibility=Visibility.MEMBERS)
    make_circle(theme=theme("impact"), archived_at=archived())

    page = client.get("/themes/")

    groups, programme = page.text.split('id="programme-heading"')
    armoede = groups.split('href="/themes/armoede">Armoede</a>')[1].split("</article>")[0]
    assert "Periode: 2021–2022" in armoede
    assert "2 leerkringen" in armoede
    impact = groups.split('href="/themes/impact">Impact</a>')[1].split("</article>")[0]
    assert "0 leerkringen" in impact
    assert "Ondersteuning ouderen" in programme
    assert "Ondersteuning ouderen" not in groups
    assert "Periode: 2023–2025" in programme


def test_themes_page_in_english(client):
    page = client.get("/themes/", headers=ENGLISH)
    assert "Theme groups" in page.text
    assert "Period: 2021–2022" in page.text


@pytest.mark.parametrize("signed_in", [False, True])
def test_themes_page_runs_a_fixed_number_of_queries(client, login, count_queries, signed_in):
    if signed_in:
        login(make_user())
    make_circles(5)
    with count_queries() as few:
        client.get("/themes/")
    make_circles(195, theme=theme("impact"))
    with count_queries() as many:
        page = client.get("/themes/")
    assert "195 leerkringen" in page.text
    assert few.count == many.count


# /themes/<slug> -----------------------------------------------------------------------------


def test_theme_page_groups_the_visible_circles_by_werkplaats(client):
    armoede = theme("armoede")
    make_circle(name="Schulden Twente", theme=armoede)
    make_circle(name="Schulden Friesland", theme=armoede, werkplaats=werkplaats("friesland"))
    make_circle(name="Landelijke armoedekring", theme=armoede, werkplaats=None)
    make_circle(name="Geheime armoedekring", theme=armoede, visibility=Visibility.MEMBERS)
    make_circle(name="Oude armoedekring", theme=armoede, archived_at=archived())
    make_circle(name="Impactkring", theme=theme("impact"))

    page = client.get("/themes/armoede")

    assert "<h1>Armoede</h1>" in page.text
    assert "Themagroep" in page.text and "Periode: 2021–2022" in page.text
    text = page.text
    order = [text.index(s) for s in ("<h3>Landelijk</h3>", "Landelijke armoedekring",
                                     ">Friesland</a></h3>", "Schulden Friesland",
                                     ">Twente</a></h3>", "Schulden Twente")]
    assert order == sorted(order)
    for hidden in ("Geheime armoedekring", "Oude armoedekring", "Impactkring"):
        assert hidden not in text


def test_theme_page_shows_members_only_circles_to_their_members(client, login):
    member = make_user()
    make_circle(name="Geheime armoedekring", theme=theme("armoede"),
                visibility=Visibility.MEMBERS, members=[member])
    login(member)
    assert "Geheime armoedekring" in client.get("/themes/armoede").text


def test_theme_page_in_english_with_an_empty_state(client):
    page = client.get("/themes/ondersteuning-ouderen", headers=ENGLISH)
    assert "Programme" in page.text
    assert "No circles work on this theme yet." in page.text


def test_unknown_theme_is_not_found(client):
    assert client.get("/themes/onbekend").status_code == 404


def test_theme_circles_as_page_and_as_fragment(client):
    make_circle(name="Schulden Twente", theme=theme("armoede"))
    page = client.get("/themes/armoede")
    assert "<html" in page.text
    fragment = client.get("/themes/armoede", headers=HTMX)
    assert "<html" not in fragment.text
    assert 'id="theme-circles"' in fragment.text
    assert "Schulden Twente" in fragment.text


@pytest.mark.parametrize("app_overrides", [{"PER_PAGE": 2}])
def test_theme_circles_are_paginated(client):
    make_circles(3)
    first = client.get("/themes/armoede")
    assert "Kring 002" not in first.text
    assert 'href="/themes/armoede?page=2"' in first.text
    assert "Kring 002" in client.get("/themes/armoede?page=2").text


@pytest.mark.parametrize("signed_in", [False, True])
def test_theme_page_runs_a_fixed_number_of_queries(client, login, count_queries, signed_in):
    if signed_in:
        login(make_user())
    make_circles(5)
    with count_queries() as few:
        client.get("/themes/armoede")
    make_circles(195, werkplaats=werkplaats("friesland"))
    with count_queries() as many:
        page = client.get("/themes/armoede")
    assert "Kring 000" in page.text
    assert few.count == many.count
