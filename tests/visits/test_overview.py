"""The association's overview of visits between Werkplaatsen: counts, period, theme, CSV, access."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leerkring.accounts.models import FieldRole
from leerkring.extensions import db
from leerkring.visits import overview_queries
from leerkring.visits.models import VisitSignup, VisitStatus
from tests import factories as f

ENGLISH = {"Accept-Language": "en"}
DUTCH = {"Accept-Language": "nl"}


def days_ago(days: int) -> datetime:
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0)


def sign_up(visit, *users, has_place=True):
    for user in users:
        db.session.add(VisitSignup(
            visit_id=visit.id, user_id=user.id, has_place=has_place,
            waitlisted_at=None if has_place else datetime.now(UTC),
        ))
    db.session.commit()


@pytest.fixture
def known_visits():
    """Visits in Twente and Zuyd, with visitors from Friesland, Noord, Twente and without a
    Werkplaats; plus a cancelled, a future, a pending and an old visit, and a waitlisted
    sign-up, none of which count."""
    twente_host = f.make_user(home_werkplaats=f.werkplaats("twente"))
    zuyd_host = f.make_user(home_werkplaats=f.werkplaats("zuyd"))
    fries_1 = f.make_user(home_werkplaats=f.werkplaats("friesland"))
    fries_2 = f.make_user(home_werkplaats=f.werkplaats("friesland"))
    fries_waiting = f.make_user(home_werkplaats=f.werkplaats("friesland"))
    noord = f.make_user(home_werkplaats=f.werkplaats("noord"))
    twente = f.make_user(home_werkplaats=f.werkplaats("twente"))
    nowhere = f.make_user(home_werkplaats=None)
    armoede, impact, ouderen = (
        f.theme("armoede"), f.theme("impact"), f.theme("ondersteuning-ouderen"))

    recent = f.make_visit(twente_host, starts_at=days_ago(30), themes=[armoede, impact])
    sign_up(recent, fries_1, fries_2, noord, twente, nowhere)
    sign_up(recent, fries_waiting, has_place=False)
    earlier = f.make_visit(twente_host, starts_at=days_ago(100), themes=[armoede])
    sign_up(earlier, fries_1)
    in_zuyd = f.make_visit(zuyd_host, starts_at=days_ago(200), themes=[ouderen])
    sign_up(in_zuyd, noord, fries_1)

    cancelled = f.make_visit(zuyd_host, starts_at=days_ago(10), status=VisitStatus.CANCELLED,
                             themes=[armoede])
    sign_up(cancelled, fries_1, noord)
    future = f.make_visit(twente_host, starts_at=days_ago(-5), themes=[armoede])
    sign_up(future, fries_2, nowhere)
    pending = f.make_visit(twente_host, starts_at=days_ago(20), status=VisitStatus.PENDING)
    sign_up(pending, fries_2)
    old = f.make_visit(twente_host, starts_at=days_ago(400), themes=[impact])
    sign_up(old, fries_1)
    return {"people": [fries_1, fries_2, noord, twente, nowhere, twente_host, zuyd_host]}


def flows_of(period_months=12, theme=""):
    period = overview_queries.period_ending(datetime.now(UTC), period_months, "Europe/Amsterdam")
    data = overview_queries.overview(period, theme=theme)
    return data, {
        (flow.source.slug if flow.source else None, flow.target.slug): flow
        for flow in data.flows
    }


def a_year_ago():
    """The first day of the default period."""
    return overview_queries.period_ending(datetime.now(UTC), 12, "Europe/Amsterdam").first_day


@pytest.mark.parametrize(("now", "months", "first_day", "start"), [
    (datetime(2026, 11, 29, 11, 0, tzinfo=UTC), 12, date(2025, 11, 29),
     datetime(2025, 11, 28, 23, 0, tzinfo=UTC)),
    (datetime(2026, 5, 31, 9, 0, tzinfo=UTC), 3, date(2026, 2, 28),
     datetime(2026, 2, 27, 23, 0, tzinfo=UTC)),
    (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), 24, date(2024, 1, 16),
     datetime(2024, 1, 15, 23, 0, tzinfo=UTC)),
    (datetime(2026, 8, 1, 12, 0, tzinfo=UTC), 6, date(2026, 2, 1),
     datetime(2026, 1, 31, 23, 0, tzinfo=UTC)),
])
def test_a_period_ends_now_and_begins_that_many_months_before_today(now, months, first_day,
                                                                    start):
    period = overview_queries.period_ending(now, months, "Europe/Amsterdam")
    assert (period.first_day, period.start, period.end) == (first_day, start, now)
    assert period.last_day == now.astimezone(ZoneInfo("Europe/Amsterdam")).date()


def cell(text: str, source: str, target: str) -> int:
    found = re.search(rf'data-from="{source}" data-to="{target}">(\d+)', text)
    return int(found.group(1))


def test_counts_visitors_with_a_place_at_visits_that_took_place(app, known_visits):
    data, flows = flows_of()
    assert set(flows) == {
        ("friesland", "twente"), ("noord", "twente"), ("twente", "twente"), (None, "twente"),
        ("noord", "zuyd"), ("friesland", "zuyd"),
    }
    fries = flows["friesland", "twente"]
    assert (fries.visitors, fries.visits) == (3, 2)
    assert fries.themes == [("Armoede", 2), ("Impact", 1)]
    assert (flows["noord", "twente"].visitors, flows["noord", "twente"].visits) == (1, 1)
    assert flows["twente", "twente"].is_internal and flows["twente", "twente"].visitors == 1
    assert not fries.is_internal and flows[None, "twente"].visitors == 1
    assert flows[None, "twente"].source is None
    assert flows["friesland", "zuyd"].themes == [("Ondersteuning ouderen", 1)]
    assert data.visitors == 8 and data.visits == 3
    assert data.flows[0] is fries
    assert data.row_total(f.werkplaats("friesland")) == 4
    assert data.column_total(f.werkplaats("twente")) == 6
    assert data.sources[-1] is None and len(data.targets) == 16


@pytest.mark.parametrize(("months", "visitors", "visits", "friesland_twente"), [
    (3, 5, 1, 2), (6, 6, 2, 3), (12, 8, 3, 3), (24, 9, 4, 4),
])
def test_the_period_ends_today(app, known_visits, months, visitors, visits, friesland_twente):
    data, flows = flows_of(months)
    assert (data.visitors, data.visits) == (visitors, visits)
    assert flows["friesland", "twente"].visitors == friesland_twente


def test_the_theme_filter_keeps_visits_on_that_theme(app, known_visits):
    data, flows = flows_of(theme="ondersteuning-ouderen")
    assert set(flows) == {("noord", "zuyd"), ("friesland", "zuyd")}
    assert data.visitors == 2 and data.visits == 1
    data, flows = flows_of(theme="impact")
    assert flows["friesland", "twente"].visits == 1
    assert flows["friesland", "twente"].themes == [("Armoede", 1), ("Impact", 1)]


def test_the_page_shows_matrix_totals_and_top_flows(client, login, known_visits):
    login(f.make_admin())
    response = client.get("/visits/overview", headers=ENGLISH)
    text = response.text
    assert response.status_code == 200 and "<h1>Visits between Werkplaatsen</h1>" in text
    assert cell(text, "friesland", "twente") == 3
    assert cell(text, "friesland", "zuyd") == 1
    assert cell(text, "friesland", "noord") == 0
    assert cell(text, "", "twente") == 1
    assert cell(text, "friesland", "total") == 4
    assert cell(text, "total", "twente") == 6
    assert cell(text, "total", "total") == 8
    assert re.search(r'class="overview-internal" data-from="twente" data-to="twente">1'
                     r'<span class="visually-hidden"> \(within the Werkplaats\)</span>', text)
    assert "<th scope=\"row\" data-werkplaats=\"\">No Werkplaats</th>" in text
    assert "8 visitors · 3 visits" in text
    top = re.search(r'<ol>.*?</ol>', text, re.S).group(0)
    first = re.search(r"<li [^>]*>.*?</li>\s*</ul>", top, re.S).group(0)
    assert 'data-from="friesland" data-to="twente"' in first
    assert "3 visitors, 2 visits" in first and "<li>Armoede (2)</li><li>Impact (1)</li>" in first
    assert "Within Twente" in top
    for person in known_visits["people"]:
        assert person.name not in text


def test_the_matrix_is_an_accessible_table(client, login, known_visits):
    login(f.make_admin())
    text = client.get("/visits/overview", headers=ENGLISH).text
    table = re.search(r"<table>.*?</table>", text, re.S).group(0)
    assert '<caption id="overview-matrix-caption">Visitors by their own Werkplaats' in table
    assert table.count('<th scope="col"') == 17
    assert table.count('<th scope="row"') == 18
    assert "<tfoot>" in table


def test_the_network_draws_a_line_per_flow_on_the_map(client, login, known_visits):
    login(f.make_admin())
    text = client.get("/visits/overview", headers=ENGLISH).text
    svg = re.search(r'<svg class="nl-map nl-network".*?</svg>', text, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="overview-network-title"' in svg
    assert 'aria-describedby="overview-network-desc"' in svg
    assert "style=" not in svg
    lines = re.findall(r'<path class="net-line[^"]*" d="[^"]+" data-from="(\w+)" '
                       r'data-to="(\w+)" stroke-width="([\d.]+)"', svg)
    widths = {(source, target): float(width) for source, target, width in lines}
    assert set(widths) == {("friesland", "twente"), ("noord", "twente"), ("twente", "twente"),
                           ("noord", "zuyd"), ("friesland", "zuyd")}
    assert widths["friesland", "twente"] > widths["noord", "twente"]
    assert "<title>Friesland to Twente: 3 visitors, 2 visits</title>" in svg
    assert "<title>Within Twente: 1 visitor, 1 visit</title>" in svg
    assert svg.count('marker-end="url(#net-arrow)"') == 4
    assert svg.count('class="net-spot"') == 16 and svg.count("net-label") == 16


def test_the_form_keeps_period_and_theme(client, login, known_visits):
    login(f.make_admin())
    text = client.get("/visits/overview?period=6&theme=impact", headers=ENGLISH).text
    assert '<option selected value="6">Last 6 months</option>' in text
    assert '<option selected value="impact">Impact</option>' in text
    assert cell(text, "total", "total") == 5
    assert 'href="/visits/overview.csv?period=6&amp;theme=impact"' in text
    text = client.get("/visits/overview?period=5&theme=nonsense", headers=ENGLISH).text
    assert '<option selected value="12">Last 12 months</option>' in text
    assert cell(text, "total", "total") == 8


def test_an_empty_period_says_so(client, login):
    login(f.make_admin())
    text = client.get("/visits/overview", headers=ENGLISH).text
    assert "No visits with visitors in this period." in text
    assert cell(text, "total", "total") == 0


def test_the_csv_has_a_row_per_pair(client, login, known_visits):
    login(f.make_werkplaats_admin("zuyd"))
    response = client.get("/visits/overview.csv?period=12", headers=ENGLISH)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    first = a_year_ago().isoformat()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="kitchen-visits-{first}-')
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "From Werkplaats", "To Werkplaats", "Visitors", "Visits", "Themes", "Within one Werkplaats"
    ]
    assert rows[1] == ["Friesland", "Twente", "3", "2", "Armoede (2); Impact (1)", "no"]
    assert ["Twente", "Twente", "1", "1", "Armoede (1); Impact (1)", "yes"] in rows
    assert ["No Werkplaats", "Twente", "1", "1", "Armoede (1); Impact (1)", "no"] in rows
    assert len(rows) == 7
    assert not any(person.name in response.text for person in known_visits["people"])


def test_the_csv_follows_the_theme(client, login, known_visits):
    login(f.make_admin())
    response = client.get("/visits/overview.csv?theme=ondersteuning-ouderen&period=24",
                          headers=ENGLISH)
    assert "-ondersteuning-ouderen.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert sorted(rows[1:]) == [
        ["Friesland", "Zuyd", "1", "1", "Ondersteuning ouderen (1)", "no"],
        ["Noord", "Zuyd", "1", "1", "Ondersteuning ouderen (1)", "no"],
    ]


@pytest.mark.parametrize(("who", "allowed"), [
    ("admin", True), ("werkplaats_admin", True), ("policymaker", True),
    ("professional", False), ("lecturer", False),
])
def test_who_sees_the_overview(client, login, who, allowed):
    user = {
        "admin": lambda: f.make_admin(),
        "werkplaats_admin": lambda: f.make_werkplaats_admin("noord"),
        "policymaker": lambda: f.make_user(field_role=FieldRole.POLICYMAKER),
        "professional": lambda: f.make_user(),
        "lecturer": lambda: f.make_user(field_role=FieldRole.LECTURER),
    }[who]()
    login(user)
    link = 'href="/visits/overview"'
    assert (link in client.get("/visits/", headers=ENGLISH).text) is allowed
    for url in ("/visits/overview", "/visits/overview.csv"):
        response = client.get(url, headers=ENGLISH)
        assert response.status_code == (200 if allowed else 403)
        assert ("Visits between Werkplaatsen" in response.text
                or "From Werkplaats,To Werkplaats" in response.text) is allowed


def test_anonymous_users_are_sent_to_log_in(client):
    for url in ("/visits/overview", "/visits/overview.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_page_runs_a_fixed_number_of_queries(client, login, count_queries):
    login(f.make_admin())
    host = f.make_user(home_werkplaats=f.werkplaats("twente"))
    visitor = f.make_user(home_werkplaats=f.werkplaats("noord"))
    sign_up(f.make_visit(host, starts_at=days_ago(10), themes=[f.theme()]), visitor)

    def queries_for_page():
        with count_queries() as counter:
            for url in ("/visits/overview", "/visits/overview.csv"):
                assert client.get(url, headers=ENGLISH).status_code == 200
        return counter.count

    few = queries_for_page()
    slugs = ["friesland", "zuyd", "flevoland", "kus", "zeeland", "noord-holland"]
    themes = [f.theme("impact"), f.theme("armoede"), f.theme("sociale-basis")]
    hosts = [f.make_user(home_werkplaats=f.werkplaats(slug)) for slug in slugs]
    visitors = [f.make_user(home_werkplaats=f.werkplaats(slug)) for slug in slugs]
    visitors.append(f.make_user(home_werkplaats=None))
    for n, host in enumerate(hosts):
        for days in (15, 45, 80):
            visit = f.make_visit(host, starts_at=days_ago(days), themes=themes[: 1 + n % 3])
            sign_up(visit, *visitors[n:])
    many = queries_for_page()
    assert many == few
    assert "7 visitors" not in client.get("/visits/overview", headers=ENGLISH).text


def test_in_dutch(client, login, known_visits):
    login(f.make_admin())
    text = client.get("/visits/overview", headers=DUTCH).text
    year_ago = a_year_ago()
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]
    assert f"{year_ago.day} {months[year_ago.month - 1]} {year_ago.year}" in text
    assert "<h1>Bezoeken tussen Werkplaatsen</h1>" in text
    assert "Geen Werkplaats" in text
    rows = list(csv.reader(io.StringIO(client.get("/visits/overview.csv", headers=DUTCH).text)))
    assert rows[0][:4] == ["Van Werkplaats", "Naar Werkplaats", "Bezoekers", "Bezoeken"]
