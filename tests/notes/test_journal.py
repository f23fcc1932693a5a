"""My reflections, the learning journal: only one's own, newest first, filtered by circle,
template and period in one's own time zone, paginated with and without JavaScript, and exported
whole as Markdown or plain text."""

from datetime import UTC, datetime, timedelta

import pytest

from leerkring.circles import services as circle_services
from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.notes.models import ReflectionTemplate, Sharing
from tests.factories import make_case, make_circle, make_meeting, make_reflection, make_user

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true", **EN}


@pytest.fixture
def people(app):
    anna, bram = make_user(name="Anna"), make_user(name="Bram")
    circle = make_circle(members=[anna, bram], name="Kring Hengelo")
    second = make_circle(members=[anna], name="Kring Almelo")
    return {"anna": anna, "bram": bram, "circle": circle, "second": second}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def titles(text: str, *candidates) -> list[str]:
    """The candidates in the order the page shows them."""
    found = [(text.find(title), title) for title in candidates if title in text]
    return [title for _, title in sorted(found)]


# The list ----------------------------------------------------------------------------------------


def test_my_own_reflections_newest_first(client, login, people):
    anna, bram, circle = people["anna"], people["bram"], people["circle"]
    make_reflection(anna, title="Oud", created_at=at(2026, 1, 5, 12))
    make_reflection(anna, title="Nieuw", created_at=at(2026, 3, 5, 12), circle=circle)
    make_reflection(anna, title="Midden", created_at=at(2026, 2, 5, 12))
    make_reflection(bram, title="Van Bram", sharing=Sharing.CIRCLE, circle=circle)
    login(anna)
    response = client.get("/reflections/", headers=EN)
    assert "<html" in response.text and "My reflections" in response.text
    assert titles(response.text, "Oud", "Nieuw", "Midden", "Van Bram") == [
        "Nieuw", "Midden", "Oud"]
    assert "3 reflections" in response.text
    assert "March 5, 2026" in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_the_fragment_holds_the_results_only(client, login, people):
    make_reflection(people["anna"], title="Eerste")
    login(people["anna"])
    response = client.get("/reflections/?template=free", headers=HTMX)
    assert "<html" not in response.text
    assert 'id="reflection-results"' in response.text and "Eerste" in response.text
    assert 'id="reflection-filters"' not in response.text


def test_what_each_reflection_is_about(client, login, people):
    anna, circle = people["anna"], people["circle"]
    meeting = make_meeting(circle, title="Intervisie mei")
    case = make_case(circle, people["bram"], title="Casus over de buren")
    make_reflection(anna, title="Over de avond", meeting=meeting, circle=circle)
    make_reflection(anna, title="Over de casus", case=case, circle=circle)
    login(anna)
    text = client.get("/reflections/", headers=EN).text
    assert "About the meeting" in text and "Intervisie mei" in text
    assert "About the case" in text and "Casus over de buren" in text


def test_the_filters_by_circle_and_template(client, login, people):
    anna, circle, second = people["anna"], people["circle"], people["second"]
    make_reflection(anna, title="Hengelo vrij", circle=circle)
    make_reflection(anna, title="Hengelo Gibbs", circle=circle,
                    template=ReflectionTemplate.GIBBS, parts={"description": "x"}, prompt="")
    make_reflection(anna, title="Almelo vrij", circle=second)
    make_reflection(anna, title="Zonder kring")
    login(anna)
    all_titles = ("Hengelo vrij", "Hengelo Gibbs", "Almelo vrij", "Zonder kring")

    def shown(query):
        return set(titles(client.get(f"/reflections/?{query}", headers=EN).text, *all_titles))

    assert shown(f"circle={circle.id}") == {"Hengelo vrij", "Hengelo Gibbs"}
    assert shown("circle=none") == {"Zonder kring"}
    assert shown("template=gibbs") == {"Hengelo Gibbs"}
    assert shown(f"circle={circle.id}&template=free") == {"Hengelo vrij"}
    assert shown("circle=999&template=nonsense") == set(all_titles)  # unknown: no filter


def test_the_circle_filter_offers_my_circles_and_those_of_my_reflections(client, login, people):
    anna = people["anna"]
    left = make_circle(members=[anna], name="Kring Oldenzaal")
    make_reflection(anna, circle=left)
    circle_services.leave(membership_of(anna, left))
    make_circle(name="Kring Borne")
    db.session.commit()
    login(anna)
    text = client.get("/reflections/", headers=EN).text
    for name in ("Kring Hengelo", "Kring Almelo", "Kring Oldenzaal"):
        assert f">{name}</option>" in text
    assert "Kring Borne" not in text


def test_the_period_counts_days_in_my_own_time_zone(client, login, people):
    anna = people["anna"]
    # 1 March 23:30 UTC is already 2 March in Amsterdam (winter time, UTC+1).
    make_reflection(anna, title="Laat op de avond", created_at=at(2026, 3, 1, 23, 30))
    make_reflection(anna, title="Eind februari", created_at=at(2026, 2, 28, 12))
    login(anna)

    def shown(query):
        text = client.get(f"/reflections/?{query}", headers=EN).text
        return titles(text, "Laat op de avond", "Eind februari")

    assert shown("since=2026-03-02") == ["Laat op de avond"]
    assert shown("until=2026-03-01") == ["Eind februari"]
    assert shown("since=2026-02-28&until=2026-03-02") == ["Laat op de avond", "Eind februari"]
    anna.timezone = "America/New_York"  # there it is still 1 March, 18:30
    db.session.commit()
    assert shown("until=2026-03-01") == ["Laat op de avond", "Eind februari"]
    assert shown("since=2026-03-02") == []


def test_a_wrong_date_is_shown_and_left_out(client, login, people):
    make_reflection(people["anna"], title="Iets")
    login(people["anna"])
    response = client.get("/reflections/?since=2026-13-45", headers=EN)
    assert response.status_code == 200
    assert "Enter a date, such as 2026-03-29." in response.text
    assert 'value="2026-13-45"' in response.text
    assert "Iets" in response.text
    response = client.get("/reflections/?since=2026-03-10&until=2026-03-01", headers=EN)
    assert "The end date is before the start date." in response.text


def test_pages_keep_the_filters(client, login, people, app):
    anna, circle = people["anna"], people["circle"]
    for n in range(app.config["PER_PAGE"] + 3):
        make_reflection(anna, title=f"Kring {n:02d}", circle=circle,
                        created_at=at(2026, 1, 1) + timedelta(hours=n))
    make_reflection(anna, title="Buiten de kring")
    login(anna)
    first = client.get(f"/reflections/?circle={circle.id}", headers=EN)
    assert "Page 1 of 2" in first.text
    assert f"/reflections/?circle={circle.id}&amp;page=2" in first.text
    assert 'hx-target="#reflection-results"' in first.text
    second = client.get(f"/reflections/?circle={circle.id}&page=2", headers=EN)
    assert titles(second.text, "Kring 02", "Kring 01", "Kring 00") == [
        "Kring 02", "Kring 01", "Kring 00"]
    assert "Buiten de kring" not in second.text


def test_the_empty_journal_says_what_to_do(client, login, people):
    login(people["anna"])
    text = client.get("/reflections/", headers=EN).text
    assert "You have not written a reflection yet." in text
    assert 'href="/reflections/new"' in text
    assert "export.md" not in text


def test_no_match_says_how_to_see_all(client, login, people):
    make_reflection(people["anna"], title="Vrij")
    login(people["anna"])
    text = client.get("/reflections/?template=gibbs", headers=EN).text
    assert "No reflection matches these filters." in text
    assert "Clear the filters to see all your reflections." in text


def test_the_journal_needs_a_login(client):
    for url in ("/reflections/", "/reflections/export.md", "/reflections/export.txt"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.location


def test_the_journal_runs_a_fixed_number_of_queries(client, login, people, count_queries, app):
    anna, circle = people["anna"], people["circle"]
    make_reflection(anna, circle=circle)
    login(anna)
    url = "/reflections/?template=free"
    with count_queries() as small:
        client.get(url)
    for n in range(app.config["PER_PAGE"] + 10):
        own = make_circle(members=[anna])
        meeting = make_meeting(own) if n % 3 == 0 else None
        case = make_case(own, people["bram"]) if n % 3 == 1 else None
        make_reflection(anna, circle=own, meeting=meeting, case=case)
    with count_queries() as large:
        response = client.get(url, headers=EN)
    assert "Page 1 of 2" in response.text
    assert small.count == large.count


# The export --------------------------------------------------------------------------------------


@pytest.fixture
def journal(people):
    """Anna's reflections: a Gibbs one about a meeting, a free one about a case, and one from
    another circle."""
    anna, circle = people["anna"], people["circle"]
    meeting = make_meeting(circle, title="Intervisie maart", starts_at=at(2026, 3, 3, 18, 30))
    case = make_case(circle, people["bram"], title="Casus over de buren")
    make_reflection(
        anna, title="Na de intervisie", template=ReflectionTemplate.GIBBS, prompt="",
        meeting=meeting, circle=circle, sharing=Sharing.MENTOR, created_at=at(2026, 3, 4, 9),
        parts={"description": "We bespraken een casus.", "feelings": "",
               "evaluation": "Het ging goed.\nDoorvragen hielp.", "analysis": "",
               "conclusion": "", "action_plan": "Vaker stilte laten vallen."},
    )
    make_reflection(anna, title="Over de buren", case=case, circle=circle, prompt="surprised",
                    parts={"answer": "Hoe snel de groep de kern vond."},
                    created_at=at(2026, 3, 10, 9))
    make_reflection(anna, title="In Almelo", circle=people["second"],
                    created_at=at(2026, 2, 1, 9))
    return people


def test_the_markdown_export_holds_every_reflection_in_full(client, login, journal):
    login(journal["anna"])
    response = client.get(f"/reflections/export.md?circle={journal['circle'].id}", headers=EN)
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    today = datetime.now(UTC).date()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"reflections-{today.isoformat()}.md" in disposition or \
        f"reflections-{(today + timedelta(days=1)).isoformat()}.md" in disposition
    assert response.headers["Cache-Control"] == "no-store"
    text = response.text
    assert text.startswith("# My reflections\n\nAnna, exported from Leerkring on ")
    assert "## Na de intervisie" in text and "## Over de buren" in text
    assert "In Almelo" not in text  # the circle filter applies
    assert text.index("## Na de intervisie") < text.index("## Over de buren")  # in time order
    assert "- **Date:** March 4, 2026" in text
    assert "- **Template:** Gibbs' reflective cycle" in text
    assert "- **About:** the meeting “Intervisie maart” of March 3, 2026" in text
    assert "- **Circle:** Kring Hengelo" in text
    assert "- **Who can read it:** Me and my coordinator" in text
    assert "### Description\n\nWe bespraken een casus." in text
    assert "### Evaluation\n\nHet ging goed.\nDoorvragen hielp." in text
    assert "### Action plan\n\nVaker stilte laten vallen." in text
    assert "### Feelings" not in text  # left empty
    assert "- **About:** the case “Casus over de buren”" in text
    assert "### What surprised you?\n\nHoe snel de groep de kern vond." in text


def test_the_plain_text_export(client, login, journal):
    login(journal["anna"])
    response = client.get("/reflections/export.txt?template=free", headers=EN)
    assert response.mimetype == "text/plain"
    assert ".txt" in response.headers["Content-Disposition"]
    text = response.text
    assert text.startswith("MY REFLECTIONS\nAnna, exported from Leerkring on ")
    assert "Na de intervisie" not in text  # the template filter applies
    assert "===\nIn Almelo\n===" in text.replace("=========", "===")
    assert "Template: Short reflection" in text
    assert "About: the case “Casus over de buren”" in text
    assert "What surprised you?\n-------------------\nHoe snel de groep de kern vond." in text
    assert "<" not in text and "&" not in text


def test_the_export_follows_the_period_filter(client, login, journal):
    login(journal["anna"])
    text = client.get("/reflections/export.md?since=2026-03-05", headers=EN).text
    assert "## Over de buren" in text
    assert "Na de intervisie" not in text and "In Almelo" not in text
    empty = client.get("/reflections/export.md?until=2020-01-01", headers=EN).text
    assert "No reflection matches these filters." in empty


def test_the_export_hides_a_case_i_can_no_longer_open(client, login, journal):
    anna, circle = journal["anna"], journal["circle"]
    circle_services.leave(membership_of(anna, circle))
    db.session.commit()
    login(anna)
    text = client.get("/reflections/export.md", headers=EN).text
    assert "Casus over de buren" not in text
    assert "a case you can no longer open" in text
    assert "## Over de buren" in text  # still her own reflection


def test_the_export_links_carry_the_filters(client, login, journal):
    login(journal["anna"])
    text = client.get(f"/reflections/?circle={journal['circle'].id}&since=2026-03-01",
                      headers=EN).text
    assert (f"/reflections/export.md?circle={journal['circle'].id}&amp;since=2026-03-01"
            in text)
    assert f"/reflections/export.txt?circle={journal['circle'].id}" in text


def test_the_export_runs_a_fixed_number_of_queries(client, login, journal, count_queries):
    anna = journal["anna"]
    login(anna)
    with count_queries() as small:
        client.get("/reflections/export.md")
    for _ in range(15):
        own = make_circle(members=[anna])
        make_reflection(anna, circle=own, meeting=make_meeting(own))
        make_reflection(anna, circle=own, case=make_case(own, anna))
    with count_queries() as large:
        client.get("/reflections/export.txt")
    assert small.count == large.count


def test_others_reflections_never_reach_my_export(client, login, journal):
    make_reflection(journal["bram"], title="Van Bram", sharing=Sharing.CIRCLE,
                    circle=journal["circle"])
    login(journal["anna"])
    assert "Van Bram" not in client.get("/reflections/export.md").text
    assert "Van Bram" not in client.get("/reflections/export.txt").text


def test_the_journal_in_english_and_dutch(client, login, journal):
    login(journal["anna"])
    english = client.get("/reflections/", headers=EN).text
    assert '<html lang="en">' in english and "My reflections" in english
    assert "March 10, 2026" in english
    dutch = client.get("/reflections/").text
    assert '<html lang="nl">' in dutch
    assert "10 maart 2026" in dutch
    assert "Mijn reflecties" in dutch and "Korte reflectie" in dutch and "Over de casus" in dutch
    export = client.get("/reflections/export.md")
    assert "reflecties-" in export.headers["Content-Disposition"]
    assert export.text.startswith("# Mijn reflecties\n\nAnna, geëxporteerd uit Leerkring op ")
    assert "### Wat verraste je?" in export.text


def test_a_date_filter_is_a_date_field(client, login, people):
    login(people["anna"])
    text = client.get("/reflections/", headers=EN).text
    assert 'id="since" name="since" type="date"' in text
