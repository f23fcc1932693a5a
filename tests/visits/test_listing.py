"""Finding visits: /visits/ with its filters, pagination, suggestions and a fixed number of
queries."""

import re
import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leerkring.extensions import db
from leerkring.visits.listing_forms import next_months
from leerkring.visits.models import Audience, Visit, VisitAudience, VisitStatus
from tests import factories as f

HTMX = {"HX-Request": "true"}
ENGLISH = {"Accept-Language": "en"}
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def is_page(response) -> bool:
    return "<html" in response.text


def in_days(days: int, hour: int = 10) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def titles(response) -> list[str]:
    """The visit titles in the results, in order."""
    results = response.text.split('id="visit-results"', 1)[1]
    return re.findall(r"<h3><a href=\"/visits/\d+\">([^<]*)</a></h3>", results)


def audiences(*values):
    return [VisitAudience(audience=value) for value in values]


@pytest.fixture
def host():
    return f.make_user(home_werkplaats=f.werkplaats("twente"))


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/visits/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=/visits/")


def test_page_and_fragment(client, login, host):
    f.make_visit(host, title="Buurtteam Enschede")
    login(f.make_user())
    page = client.get("/visits/", headers=ENGLISH)
    assert is_page(page)
    assert 'id="visit-filters"' in page.text and 'hx-target="#visit-results"' in page.text
    assert 'hx-get="/visits/"' in page.text and 'hx-push-url="true"' in page.text
    assert titles(page) == ["Buurtteam Enschede"]
    assert 'class="nl-map"' in page.text
    assert 'href="/visits/" aria-current="page">Kitchen visits</a>' in page.text

    fragment = client.get("/visits/?werkplaats=twente", headers=HTMX | ENGLISH)
    assert not is_page(fragment)
    assert 'id="visit-results"' in fragment.text
    assert titles(fragment) == ["Buurtteam Enschede"]
    assert "nl-map" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_upcoming_published_visits_soonest_first(client, login, host):
    f.make_visit(host, title="Later", starts_at=in_days(20))
    f.make_visit(host, title="Soon", starts_at=in_days(2))
    f.make_visit(host, title="Past", starts_at=in_days(-2))
    f.make_visit(host, title="Pending", status=VisitStatus.PENDING)
    f.make_visit(host, title="Declined", status=VisitStatus.DECLINED)
    f.make_visit(host, title="Cancelled", status=VisitStatus.CANCELLED)
    login(f.make_user())
    response = client.get("/visits/", headers=ENGLISH)
    assert titles(response) == ["Soon", "Later"]
    assert "2 upcoming visits" in response.text


def test_each_visit_shows_its_facts(client, login, host):
    start = datetime(2030, 3, 14, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
    f.make_visit(
        host, title="Open", starts_at=start, max_places=5, places_taken=2,
        themes=[f.theme("armoede"), f.theme("impact")],
        audiences=audiences(Audience.STUDENTS, Audience.LECTURERS),
    )
    f.make_visit(host, title="Full", starts_at=start + timedelta(days=1), max_places=3,
                 places_taken=3)
    f.make_visit(host, title="Unlimited", starts_at=start + timedelta(days=2))
    login(f.make_user())
    text = client.get("/visits/", headers=ENGLISH).text
    assert "Thursday, March 14, 2030, 10:00\u202fAM–12:00\u202fPM" in text
    assert "Hosted by Twente" in text
    assert "3 places left" in text
    assert "Full — waitlist" in text
    assert "Places: no limit" in text
    assert '<span class="badge">Armoede</span> <span class="badge">Impact</span>' in text
    assert "For: Lecturers, Students" in text


def test_times_are_shown_in_the_users_zone(client, login, host):
    f.make_visit(host, starts_at=datetime(2030, 3, 14, 9, 0, tzinfo=UTC))
    login(f.make_user(timezone="Europe/London"))
    assert "Thursday, March 14, 2030, 9:00\u202fAM" in client.get("/visits/", headers=ENGLISH).text


class TestFilters:
    @pytest.fixture
    def visits(self, host):
        zuyd = f.make_user(home_werkplaats=f.werkplaats("zuyd"))
        f.make_visit(host, title="Armoede Twente", starts_at=in_days(3),
                     themes=[f.theme("armoede")], audiences=audiences(Audience.STUDENTS),
                     max_places=4, places_taken=4)
        f.make_visit(host, title="Impact Twente", starts_at=in_days(4),
                     themes=[f.theme("impact")], audiences=audiences(Audience.PROFESSIONALS))
        f.make_visit(zuyd, title="Armoede Zuyd", starts_at=in_days(5),
                     themes=[f.theme("armoede")],
                     audiences=audiences(Audience.STUDENTS, Audience.POLICYMAKERS))
        f.make_visit(zuyd, title="Zuyd zonder thema", starts_at=in_days(6), max_places=10)

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("theme=armoede", ["Armoede Twente", "Armoede Zuyd"]),
            ("werkplaats=zuyd", ["Armoede Zuyd", "Zuyd zonder thema"]),
            ("places=y", ["Impact Twente", "Armoede Zuyd", "Zuyd zonder thema"]),
            ("audience=students", ["Armoede Twente", "Armoede Zuyd"]),
            ("theme=armoede&werkplaats=zuyd", ["Armoede Zuyd"]),
            ("theme=armoede&places=y", ["Armoede Zuyd"]),
            ("audience=students&werkplaats=twente&places=y", []),
            ("audience=professionals&theme=impact&werkplaats=twente", ["Impact Twente"]),
            ("theme=nonsense&werkplaats=atlantis&audience=cats", [
                "Armoede Twente", "Impact Twente", "Armoede Zuyd", "Zuyd zonder thema"]),
        ],
    )
    def test_alone_and_combined(self, client, login, visits, query, expected):
        login(f.make_user())
        assert titles(client.get(f"/visits/?{query}", headers=ENGLISH)) == expected
        assert titles(client.get(f"/visits/?{query}", headers=HTMX | ENGLISH)) == expected

    def test_the_form_keeps_the_choices(self, client, login, visits):
        login(f.make_user())
        text = client.get("/visits/?theme=impact&places=y&audience=students",
                          headers=ENGLISH).text
        assert '<option selected value="impact">' in text
        assert '<option selected value="students">' in text
        assert re.search(r'<input checked id="places"', text)

    def test_no_match_says_what_to_do(self, client, login, visits):
        login(f.make_user())
        text = client.get("/visits/?theme=sociale-basis", headers=ENGLISH).text
        assert "0 upcoming visits" in text
        assert "No upcoming visit matches these filters." in text
        assert 'href="/visits/">Clear the filters' in text
        assert 'href="/visits/new">Offer a visit</a>' in text


def test_empty_list_invites_an_offer(client, login):
    login(f.make_user())
    text = client.get("/visits/", headers=ENGLISH).text
    assert "There are no upcoming visits yet." in text
    assert 'href="/visits/new">Offer a visit</a>' in text


class TestMonth:
    def first_of(self, months_ahead: int) -> date:
        return next_months(datetime.now(AMSTERDAM).date())[months_ahead]

    def test_the_next_twelve_months_are_offered(self, client, login):
        login(f.make_user())
        text = client.get("/visits/", headers=ENGLISH).text
        first = self.first_of(0)
        last = self.first_of(11)
        assert f'<option value="{first:%Y-%m}">' in text
        assert f'<option value="{last:%Y-%m}">' in text
        assert text.count('<option value="20') == 12

    def test_a_visit_belongs_to_its_month_in_amsterdam(self, client, login, host):
        first = self.first_of(2)
        midnight = datetime(first.year, first.month, first.day, tzinfo=AMSTERDAM)
        f.make_visit(host, title="Just after midnight", starts_at=midnight + timedelta(minutes=30))
        f.make_visit(host, title="Just before midnight",
                     starts_at=midnight - timedelta(minutes=30))
        assert (midnight + timedelta(minutes=30)).astimezone(UTC).month != first.month
        login(f.make_user())
        month = f"{first:%Y-%m}"
        previous = f"{self.first_of(1):%Y-%m}"
        assert titles(client.get(f"/visits/?month={month}")) == ["Just after midnight"]
        assert titles(client.get(f"/visits/?month={previous}")) == ["Just before midnight"]


def test_paginated(client, login, app, host):
    per_page = app.config["PER_PAGE"]
    for n in range(per_page + 3):
        f.make_visit(host, title=f"Bezoek {n:03d}", starts_at=in_days(2, hour=0) +
                     timedelta(minutes=n))
    login(f.make_user())
    first = client.get("/visits/?theme=&werkplaats=twente")
    assert titles(first)[0] == "Bezoek 000" and "Bezoek 022" not in titles(first)
    assert 'href="/visits/?werkplaats=twente&amp;page=2"' in first.text
    second = client.get("/visits/?werkplaats=twente&page=2", headers=HTMX)
    assert titles(second) == [f"Bezoek {n:03d}" for n in range(per_page, per_page + 3)]


class TestSuggested:
    def section(self, response) -> str:
        found = re.search(r'class="visit-suggestions".*?</section>', response.text, re.S)
        return found.group(0) if found else ""

    def test_on_my_themes_outside_my_werkplaats(self, client, login, host):
        me = f.make_user(home_werkplaats=f.werkplaats("twente"))
        f.make_circle(f.make_user(), members=[me], theme=f.theme("armoede"))
        f.make_circle(me, theme=f.theme("impact"))
        elsewhere = f.make_user(home_werkplaats=f.werkplaats("zuyd"))
        f.make_visit(elsewhere, title="Armoede in Heerlen", themes=[f.theme("armoede")])
        f.make_visit(elsewhere, title="Impact in Maastricht",
                     themes=[f.theme("impact"), f.theme("armoede")])
        f.make_visit(elsewhere, title="Other theme", themes=[f.theme("sociale-basis")])
        f.make_visit(host, title="At home", themes=[f.theme("armoede")])
        f.make_visit(elsewhere, title="Past", starts_at=in_days(-1),
                     themes=[f.theme("armoede")])
        f.make_visit(elsewhere, title="Not yet approved", status=VisitStatus.PENDING,
                     themes=[f.theme("armoede")])
        login(me)
        section = self.section(client.get("/visits/", headers=ENGLISH))
        assert "Kitchen visits suggested for you" in section
        assert "Armoede in Heerlen" in section and "Impact in Maastricht" in section
        for title in ("Other theme", "At home", "Past", "Not yet approved"):
            assert title not in section

    def test_at_most_four(self, client, login):
        me = f.make_user()
        f.make_circle(me, theme=f.theme("armoede"))
        elsewhere = f.make_user(home_werkplaats=f.werkplaats("zuyd"))
        for n in range(6):
            f.make_visit(elsewhere, title=f"Tip {n}", starts_at=in_days(n + 1),
                         themes=[f.theme("armoede")])
        login(me)
        section = self.section(client.get("/visits/", headers=ENGLISH))
        assert [f"Tip {n}" in section for n in range(6)] == [True] * 4 + [False] * 2

    def test_nothing_without_circles_with_a_theme(self, client, login):
        me = f.make_user()
        f.make_circle(me)
        f.make_visit(f.make_user(home_werkplaats=f.werkplaats("zuyd")),
                     themes=[f.theme("armoede")])
        login(me)
        text = client.get("/visits/", headers=ENGLISH).text
        assert "Kitchen visits suggested for you" not in text


def bulk_visits(count: int, host) -> None:
    themes = [f.theme(slug) for slug in ("armoede", "impact", "sociale-basis")]
    werkplaatsen = [f.werkplaats(slug) for slug in ("twente", "zuyd", "noord", "friesland")]
    for n in range(count):
        db.session.add(Visit(
            host=host, werkplaats=werkplaatsen[n % 4], offer_key=secrets.token_hex(8),
            title=f"Bulk {n}", description="Kijk mee.", starts_at=in_days(1 + n % 300),
            ends_at=in_days(1 + n % 300, hour=12), status=VisitStatus.PUBLISHED,
            max_places=n % 5 or None, places_taken=n % 3, themes=themes[: 1 + n % 3],
            audiences=audiences(*list(Audience)[: 1 + n % 4]),
        ))
    db.session.commit()


def test_a_fixed_number_of_queries_whatever_the_number_of_visits(client, login, count_queries):
    me = f.make_user()
    f.make_circle(me, theme=f.theme("armoede"))
    f.make_circle(me, theme=f.theme("impact"))
    host = f.make_user(home_werkplaats=f.werkplaats("zuyd"))
    bulk_visits(3, host)
    login(me)
    with count_queries() as small:
        client.get("/visits/")
    with count_queries() as small_fragment:
        client.get("/visits/?theme=armoede", headers=HTMX)
    bulk_visits(120, host)
    with count_queries() as large:
        response = client.get("/visits/")
    with count_queries() as large_fragment:
        fragment = client.get("/visits/?theme=armoede", headers=HTMX)
    assert len(titles(response)) == 20 and len(titles(fragment)) == 20
    assert small.count == large.count
    assert small_fragment.count == large_fragment.count


def test_only_members_of_a_werkplaats_are_invited_to_offer(client, login):
    login(f.make_user(home_werkplaats_id=None))
    text = client.get("/visits/", headers=ENGLISH).text
    assert "There are no upcoming visits yet." in text
    assert "Offer a visit" not in text


def test_the_dashboard_suggests_up_to_three(client, login):
    me = f.make_user()
    f.make_circle(me, theme=f.theme("armoede"))
    elsewhere = f.make_user(home_werkplaats=f.werkplaats("noord"))
    for n in range(4):
        f.make_visit(elsewhere, title=f"Tip {n}", starts_at=in_days(n + 1),
                     themes=[f.theme("armoede")])
    login(me)
    text = client.get("/", headers=ENGLISH).text
    assert "Kitchen visits suggested for you" in text
    assert [f"Tip {n}" in text for n in range(4)] == [True, True, True, False]
    assert re.search(r'<a href="/visits/\d+">Tip 0</a>', text)

def test_in_dutch(client, login):
    me = f.make_user()
    f.make_circle(me, theme=f.theme("armoede"))
    zuyd = f.make_user(home_werkplaats=f.werkplaats("zuyd"))
    f.make_visit(zuyd, title="Kijk mee", starts_at=in_days(3), max_places=2, places_taken=2,
                 themes=[f.theme("armoede")])
    login(me)
    text = client.get("/visits/").text
    for words in ("Keukenbezoeken</a>", "<h1>Keukenbezoeken</h1>", "1 komend keukenbezoek",
                  "Georganiseerd door Zuyd", "Vol — wachtlijst", "Alle thema’s",
                  "Alleen keukenbezoeken met vrije plaatsen", "Keukenbezoeken aanbevolen voor jou",
                  "Kaart van Nederland met de Werkplaatsen", "Bied een keukenbezoek aan"):
        assert words in text, words


def test_only_those_who_approve_find_the_visits_to_approve(client, login):
    for user, shown in ((f.make_user(), False), (f.make_werkplaats_admin(), True),
                        (f.make_admin(), True)):
        login(user)
        text = client.get("/visits/", headers=ENGLISH).text
        assert ('href="/visits/pending"' in text) is shown
        assert (client.get("/visits/pending").status_code == 200) is shown
        client.post("/account/logout")
