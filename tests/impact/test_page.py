"""/impact/ and its CSVs: the figures as the reader sees them, the "<5" rule on the page, in the
charts and in the CSV, the period and grouping, who may see what, the navigation link, a fixed
number of queries, English and Dutch."""

import csv
import html
import io
import re

import pytest

from leerkring.accounts.models import FieldRole
from leerkring.extensions import db
from tests import factories as f
from tests.impact import known
from tests.impact.known import DUTCH, ENGLISH, days_ago


@pytest.fixture
def world(app):
    return known.build()


def table_of(page: str, name: str) -> str:
    match = re.search(rf'<table id="impact-{name}">(.*?)</table>', page, re.S)
    assert match, f"no table {name}"
    return match.group(1)


def row(page: str, name: str, group: str) -> dict[str, str]:
    """The cells of one row (a slug, "none" or "total"), by measure, as the reader sees them."""
    match = re.search(rf'<tr data-group="{group}">(.*?)</tr>', table_of(page, name), re.S)
    assert match, f"no row {group} in {name}"
    return {measure: html.unescape(text) for measure, text in
            re.findall(r'<td data-measure="(\w+)">(.*?)</td>', match.group(1))}


def groups(page: str, name: str) -> list[str]:
    rows = re.findall(r'<tr data-group="([\w-]+)">', table_of(page, name))
    return [group for group in rows if group != "total"]


def chart_bar(page: str, chart: str, group: str) -> str:
    figure = re.search(rf'<figure class="impact-chart" id="impact-{chart}">(.*?)</figure>',
                       page, re.S)
    assert figure, f"no chart {chart}"
    bar = re.search(rf'<g data-group="{group}">(.*?)</g>', figure.group(1), re.S)
    return bar.group(1)


def csv_rows(response) -> list[list[str]]:
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


def admin_page(client, login, url="/impact/", headers=ENGLISH):
    login(f.make_admin())
    return client.get(url, headers=headers)


# The figures on the page -----------------------------------------------------------------------


def test_the_figures_per_werkplaats(world, client, login):
    response = admin_page(client, login)
    assert response.status_code == 200
    page = response.text
    assert "<h1>Impact</h1>" in page
    assert row(page, "circles", "twente") == {
        "active_circles": "2", "meetings": "3", "people": "9", "hours": "17.0"}
    assert row(page, "circles", "zuyd") == {
        "active_circles": "1", "meetings": "1", "people": "5", "hours": "5.0"}
    assert row(page, "circles", "none") == {
        "active_circles": "1", "meetings": "1", "people": "0", "hours": "0.0"}
    assert row(page, "circles", "total") == {
        "active_circles": "4", "meetings": "5", "people": "13", "hours": "22.0"}
    assert row(page, "cases", "twente") == {
        "cases_discussed": "2", "cases_closed": "0", "reflections": "2"}
    assert row(page, "cases", "zuyd") == {
        "cases_discussed": "0", "cases_closed": "1", "reflections": "1"}
    assert row(page, "visits", "twente") == {"visits": "2", "visitors": "6"}
    assert row(page, "library", "total") == {"published": "2", "brought": "3"}
    # Every Werkplaats has a row; the association only with figures; "national" last.
    rows = groups(page, "circles")
    assert {"friesland", "zeeland", "twente", "zuyd"} <= set(rows) and rows[-1] == "none"
    assert "associatie" not in " ".join(rows)
    assert "<caption id=\"impact-circles-caption\">Circles and meetings per Werkplaats" in page


def test_the_figures_per_theme(world, client, login):
    page = admin_page(client, login, "/impact/?per=theme").text
    assert row(page, "circles", "armoede") == {
        "active_circles": "2", "meetings": "3", "people": "11", "hours": "20.0"}
    assert row(page, "circles", "impact")["people"] == "<5"
    assert row(page, "visits", "impact") == {"visits": "2", "visitors": "7"}
    assert row(page, "visits", "none") == {"visits": "1", "visitors": "0"}
    assert row(page, "library", "armoede") == {"published": "1", "brought": "2"}
    assert "Circles and meetings per theme" in page
    assert "twente" not in groups(page, "circles")


def test_fewer_than_five_people_show_as_less_than_five_in_tables_charts_and_flows(
        world, client, login):
    page = admin_page(client, login).text
    assert row(page, "visits", "zuyd") == {"visits": "2", "visitors": "<5"}
    bar = chart_bar(page, "visits-visitors", "zuyd")
    assert "<rect" not in bar and ">&lt;5</text>" in bar
    bar = chart_bar(page, "visits-visitors", "twente")
    assert "<rect" in bar and ">6</text>" in bar
    flows = table_of(page, "flows")
    assert "<td data-measure=\"visitors\">5</td>" in flows
    assert flows.count("&lt;5") == 3
    theme_page = client.get("/impact/?per=theme", headers=ENGLISH).text
    bar = chart_bar(theme_page, "circles-people", "impact")
    assert "<rect" not in bar and "&lt;5" in bar


def test_every_chart_is_a_described_picture_beside_its_table(world, client, login):
    page = admin_page(client, login).text
    charts = re.findall(r'<svg [^>]*role="img" aria-labelledby="([\w-]+)-title" '
                        r'aria-describedby="\1-desc"', page)
    assert set(charts) == {
        "impact-circles-meetings", "impact-circles-people", "impact-cases-cases_discussed",
        "impact-cases-reflections", "impact-visits-visitors", "impact-library-published",
        "impact-library-brought"}
    assert '<title id="impact-circles-people-title">People present per Werkplaats</title>' in page
    assert ("The table “Circles and meetings per Werkplaats” gives the numbers of every "
            "Werkplaats.") in page
    # Werkplaatsen with nothing to count are in the table, not in the chart.
    assert 'data-group="friesland"' not in re.search(
        r'id="impact-circles-people">(.*?)</figure>', page, re.S).group(1)
    assert '<tr data-group="friesland">' in table_of(page, "circles")
    assert '<th scope="row">Twente</th>' in page and '<th scope="col">People present</th>' in page
    assert "<script" not in page.split("</head>")[1]


def test_nothing_names_a_person_or_a_case(world, client, login):
    page = admin_page(client, login).text
    assert "Gebruiker" not in page and "Casus" not in page and "Coördinator" not in page


# Period --------------------------------------------------------------------------------------


def test_the_period_can_be_shorter(world, client, login):
    page = admin_page(client, login, "/impact/?period=3").text
    assert row(page, "circles", "twente")["meetings"] == "3"
    assert row(page, "circles", "zuyd")["meetings"] == "0"
    assert '<option selected value="3">Last 3 months</option>' in page


def test_the_period_can_run_from_one_date_to_another(world, client, login):
    start, end = days_ago(45).date().isoformat(), days_ago(25).date().isoformat()
    page = admin_page(client, login, f"/impact/?period=dates&start={start}&end={end}").text
    assert row(page, "circles", "twente") == {
        "active_circles": "1", "meetings": "1", "people": "6", "hours": "9.0"}
    assert f"start={start}" in page and "period=dates" in page
    # Dates alone are enough.
    page = client.get(f"/impact/?start={start}&end={end}", headers=ENGLISH).text
    assert row(page, "circles", "twente")["meetings"] == "1"


def test_wrong_dates_are_explained_and_the_default_period_shown(world, client, login):
    response = admin_page(client, login, "/impact/?period=dates&start=2026-05-01&end=2026-04-01")
    assert response.status_code == 422
    assert "The end date is before the start date." in response.text
    assert 'value="2026-05-01"' in response.text
    assert row(response.text, "circles", "twente")["meetings"] == "3"
    response = client.get("/impact/?period=dates&start=&end=nonsense", headers=ENGLISH)
    assert response.status_code == 422
    assert "Choose a date." in response.text
    assert "Enter a date, such as 2026-03-29." in response.text


def test_unknown_choices_fall_back_to_the_defaults(world, client, login):
    page = admin_page(client, login, "/impact/?period=7&per=circle").text
    assert row(page, "circles", "twente")["meetings"] == "3"
    assert "Circles and meetings per Werkplaats" in page


# CSV -----------------------------------------------------------------------------------------


def test_every_table_downloads_as_csv_with_the_same_rule(world, client, login):
    login(f.make_admin())
    page = client.get("/impact/?per=theme&period=24", headers=ENGLISH).text
    for name in ("circles", "cases", "visits", "library", "flows"):
        assert f"/impact/{name}.csv?" in html.unescape(page)
    response = client.get("/impact/circles.csv?per=theme&period=12", headers=ENGLISH)
    rows = csv_rows(response)
    assert rows[0] == ["Theme", "Active circles", "Meetings held", "People present",
                       "Hours present"]
    by_name = {r[0]: r[1:] for r in rows[1:]}
    assert by_name["Armoede"] == ["2", "3", "11", "20.0"]
    assert by_name["Impact"] == ["1", "1", "<5", "2.0"]
    assert by_name["No theme"] == ["1", "1", "0", "0.0"]
    assert by_name["Total"] == ["4", "5", "13", "22.0"]
    assert "impact-circles-per-theme-" in response.headers["Content-Disposition"]

    rows = csv_rows(client.get("/impact/visits.csv", headers=ENGLISH))
    assert {r[0]: r[1:] for r in rows[1:]}["Zuyd"] == ["2", "<5"]
    rows = csv_rows(client.get("/impact/flows.csv", headers=ENGLISH))
    assert rows[0] == ["From Werkplaats", "To Werkplaats", "Visitors", "Visits",
                       "Within one Werkplaats"]
    assert rows[1] == ["Friesland", "Twente", "5", "2", "no"]
    assert sorted(r[2] for r in rows[2:]) == ["<5", "<5", "<5"]
    rows = csv_rows(client.get("/impact/cases.csv", headers=ENGLISH))
    assert rows[-1] == ["Total", "2", "1", "3"]
    assert client.get("/impact/nothing.csv").status_code == 404


def test_the_csv_follows_the_dates(world, client, login):
    login(f.make_admin())
    start, end = days_ago(45).date().isoformat(), days_ago(25).date().isoformat()
    response = client.get(f"/impact/circles.csv?period=dates&start={start}&end={end}",
                          headers=ENGLISH)
    assert {r[0]: r[1:] for r in csv_rows(response)[1:]}["Twente"] == ["1", "1", "6", "9.0"]
    assert f"{start}-{end}" in response.headers["Content-Disposition"]


# Who sees what ----------------------------------------------------------------------------------


def test_a_coordinator_sees_only_their_own_circles(world, client, login):
    login(world["coordinator"])
    page = client.get("/impact/", headers=ENGLISH).text
    assert "These are the figures of the circle you coordinate: Kring A." in page
    assert groups(page, "circles") == ["twente"]
    assert row(page, "circles", "twente") == {
        "active_circles": "1", "meetings": "2", "people": "7", "hours": "15.0"}
    assert row(page, "library", "twente") == {"brought": "1"}
    assert 'id="impact-visits"' not in page and 'id="impact-flows"' not in page
    assert "Library items published" not in page
    rows = csv_rows(client.get("/impact/circles.csv?per=theme", headers=ENGLISH))
    assert [r[0] for r in rows] == ["Theme", "Armoede", "Total"]
    assert client.get("/impact/visits.csv").status_code == 403
    assert client.get("/impact/flows.csv").status_code == 403


@pytest.mark.parametrize("who", ["werkplaats_admin", "policymaker"])
def test_werkplaats_admins_and_policymakers_see_the_whole_picture(world, client, login, who):
    user = (f.make_werkplaats_admin("zuyd") if who == "werkplaats_admin"
            else f.make_user(field_role=FieldRole.POLICYMAKER))
    login(user)
    page = client.get("/impact/", headers=ENGLISH).text
    assert row(page, "circles", "total")["meetings"] == "5"
    assert 'id="impact-flows"' in page


def test_others_may_not_see_it(world, client, login):
    login(world["member"])
    for url in ("/impact/", "/impact/circles.csv", "/impact/flows.csv"):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/impact/", "/impact/circles.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_navigation_links_to_it_for_those_who_may_see_it(world, client, login):
    link = '<a href="/impact/"'
    login(world["member"])
    assert link not in client.get("/", headers=ENGLISH).text
    client.post("/account/logout")
    login(world["coordinator"])
    assert link in client.get("/", headers=ENGLISH).text
    client.post("/account/logout")
    login(f.make_user(field_role=FieldRole.POLICYMAKER))
    assert link in client.get("/", headers=ENGLISH).text
    page = client.get("/impact/", headers=ENGLISH).text
    assert f'{link} aria-current="page">Impact</a>' in page


# Queries and languages ---------------------------------------------------------------------------


def test_the_page_and_csvs_run_a_fixed_number_of_queries(app, client, login, count_queries):
    admin = f.make_admin()
    coordinator = f.make_user()
    circle = f.make_circle(coordinator, theme=f.theme("armoede"))
    known.present(known.meeting(circle, 10, 60), coordinator)

    def queries_for(user):
        login(user)
        with count_queries() as counter:
            for url in ("/impact/", "/impact/?per=theme", "/impact/circles.csv",
                        "/impact/library.csv?per=theme"):
                assert client.get(url, headers=ENGLISH).status_code == 200
        whole = 'id="impact-visits"' in client.get("/impact/", headers=ENGLISH).text
        client.post("/account/logout")
        return counter.count, whole

    few = queries_for(admin), queries_for(coordinator)
    known.build()
    for n, slug in enumerate(("friesland", "noord", "zeeland", "twente")):
        members = known.people(6, slug)
        other = f.make_circle(coordinator, members=members, werkplaats=f.werkplaats(slug),
                              theme=f.theme("impact"))
        for days in (5, 40, 80):
            meeting = known.meeting(other, days + n, 60)
            known.present(meeting, *members)
            f.make_case(other, members[0], meeting_id=meeting.id, shared_at=days_ago(days))
            f.make_reflection(members[1], circle_id=other.id, created_at=days_ago(days))
        item = known.library_item(3 + n, werkplaatsen=[f.werkplaats(slug)],
                                  themes=[f.theme("impact")])
        known.place(item, other, 2)
        visit = f.make_visit(members[0], starts_at=days_ago(9 + n), themes=[f.theme("impact")])
        known.sign_up(visit, *members[1:])
    db.session.commit()
    many = queries_for(admin), queries_for(coordinator)
    assert many == few
    assert [whole for _count, whole in many] == [True, False]


def test_the_page_in_dutch(world, client, login):
    page = admin_page(client, login, headers=DUTCH).text
    assert "<h1>Impact</h1>" in page
    assert "Leerkringen en bijeenkomsten per Werkplaats" in page
    assert '<th scope="col">Aanwezige mensen</th>' in page
    assert row(page, "circles", "twente")["hours"] == "17,0"
    assert "Landelijk" in page
    rows = csv_rows(client.get("/impact/circles.csv?per=theme", headers=DUTCH))
    assert rows[0][0] == "Thema" and ["Geen thema", "1", "1", "0", "0.0"] in rows
