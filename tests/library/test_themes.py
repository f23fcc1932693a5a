"""Theme group pages: the next meetings, coming visits, library items and people on a theme,
following it and showing yourself on it, ambassadors and content experts, the themes you follow,
and the weekly digest's "new on your themes"."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.circles.models import Visibility
from leerkring.extensions import db
from leerkring.library import themes as theme_views
from leerkring.library.models import ItemKind, ItemStatus, LibraryItem, ThemePerson, ThemeRole
from leerkring.meetings.models import Meeting, MeetingStatus
from leerkring.models import FieldRole
from leerkring.visits.models import VisitStatus
from tests.factories import (
    make_admin,
    make_circle,
    make_meeting,
    make_user,
    make_visit,
    make_werkplaats_admin,
    theme,
    werkplaats,
)

ENGLISH = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true"}
NOW = datetime.now(UTC)


def make_item(title: str, themes=(), **kw) -> LibraryItem:
    kw.setdefault("kind", ItemKind.METHOD)
    kw.setdefault("status", ItemStatus.PUBLISHED)
    if kw["status"] == ItemStatus.PUBLISHED:
        kw.setdefault("published_at", NOW - timedelta(days=1))
    item = LibraryItem(title=title, themes=list(themes), **kw)
    db.session.add(item)
    db.session.commit()
    return item


def join(theme_, user, **kw) -> ThemePerson:
    kw.setdefault("follows", True)
    person = ThemePerson(theme_id=theme_.id, user_id=user.id, **kw)
    db.session.add(person)
    db.session.commit()
    return person


def person_of(theme_, user) -> ThemePerson | None:
    return db.session.execute(
        sa.select(ThemePerson).filter_by(theme_id=theme_.id, user_id=user.id)
    ).scalar()


def section(html: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert found, f"no section {section_id}"
    return found.group(0)


# Upcoming meetings -------------------------------------------------------------------------


def test_the_next_meetings_of_the_themes_circles_across_werkplaatsen(client, login):
    armoede = theme("armoede")
    twente = make_circle(name="Schulden Twente", theme=armoede)
    friesland = make_circle(name="Schulden Friesland", theme=armoede,
                            werkplaats=werkplaats("friesland"))
    secret = make_circle(name="Geheime kring", theme=armoede, visibility=Visibility.MEMBERS)
    other = make_circle(name="Impactkring", theme=theme("impact"))
    make_meeting(twente, title="Intervisie Twente", starts_at=NOW + timedelta(days=3))
    make_meeting(friesland, title="Intervisie Friesland", starts_at=NOW + timedelta(days=2))
    make_meeting(twente, title="Voorbij", starts_at=NOW - timedelta(days=2))
    make_meeting(twente, title="Afgelast", starts_at=NOW + timedelta(days=4),
                 status=MeetingStatus.CANCELLED)
    make_meeting(secret, title="Geheim overleg", starts_at=NOW + timedelta(days=1))
    make_meeting(other, title="Impactoverleg", starts_at=NOW + timedelta(days=1))
    login(make_user())

    meetings = section(client.get("/themes/armoede").text, "theme-meetings")

    assert meetings.index("Intervisie Friesland") < meetings.index("Intervisie Twente")
    assert "Schulden Friesland" in meetings and "Friesland" in meetings
    for hidden in ("Voorbij", "Afgelast", "Geheim overleg", "Impactoverleg"):
        assert hidden not in meetings


def test_members_see_their_members_only_circles_meetings(client, login):
    member = make_user()
    secret = make_circle(name="Geheime kring", theme=theme("armoede"),
                         visibility=Visibility.MEMBERS, members=[member])
    make_meeting(secret, title="Geheim overleg")
    login(member)
    assert "Geheim overleg" in section(client.get("/themes/armoede").text, "theme-meetings")


def test_only_the_next_few_meetings_are_listed(client, login):
    circle = make_circle(theme=theme("armoede"))
    for n in range(theme_views.queries.SHOWN + 2):
        make_meeting(circle, title=f"Bijeenkomst {n:02d}", starts_at=NOW + timedelta(days=n + 1))
    login(make_user())
    meetings = section(client.get("/themes/armoede").text, "theme-meetings")
    assert "Bijeenkomst 04" in meetings and "Bijeenkomst 05" not in meetings


def test_anonymous_visitors_see_no_meetings_visits_or_people(client):
    circle = make_circle(theme=theme("armoede"))
    make_meeting(circle, title="Intervisie Twente")
    visit = make_visit(make_user(), title="Keuken Enschede")
    visit.themes = [theme("armoede")]
    join(theme("armoede"), make_user(name="Zichtbare Zus"), is_visible=True)
    page = client.get("/themes/armoede", headers=ENGLISH).text
    for hidden in ("Intervisie Twente", "Keuken Enschede", "Zichtbare Zus", 'id="theme-follow"'):
        assert hidden not in page
    invitation = section(page, "theme-log-in")
    assert 'href="/account/login?next=/themes/armoede"' in invitation
    assert "to follow this theme" in invitation


# Coming visits -----------------------------------------------------------------------------


def test_coming_published_visits_on_the_theme(client, login):
    host = make_user()
    armoede, impact = theme("armoede"), theme("impact")
    visits = {
        "Keuken Enschede": dict(themes=[armoede], starts_at=NOW + timedelta(days=9)),
        "Keuken Hengelo": dict(themes=[armoede, impact], starts_at=NOW + timedelta(days=3)),
        "Nog niet goedgekeurd": dict(themes=[armoede], status=VisitStatus.PENDING),
        "Gaat niet door": dict(themes=[armoede], status=VisitStatus.CANCELLED),
        "Al geweest": dict(themes=[armoede], starts_at=NOW - timedelta(days=3)),
        "Ander thema": dict(themes=[impact]),
    }
    for title, kw in visits.items():
        make_visit(host, title=title, **kw)
    login(make_user())

    found = section(client.get("/themes/armoede").text, "theme-visits")

    assert found.index("Keuken Hengelo") < found.index("Keuken Enschede")
    assert "Twente" in found
    for hidden in ("Nog niet goedgekeurd", "Gaat niet door", "Al geweest", "Ander thema"):
        assert hidden not in found
    assert 'href="/visits/?theme=armoede"' in found


# Library items -----------------------------------------------------------------------------


def test_published_library_items_on_the_theme_newest_first(client, login):
    armoede = theme("armoede")
    old = make_item("Oude methode", [armoede], published_at=NOW - timedelta(days=30))
    new = make_item("Nieuwe methode", [armoede, theme("impact")])
    make_item("Concept", [armoede], status=ItemStatus.DRAFT)
    make_item("Ingediend", [armoede], status=ItemStatus.SUBMITTED)
    make_item("Over impact", [theme("impact")])
    login(make_user())

    found = section(client.get("/themes/armoede").text, "theme-library")

    assert found.index("Nieuwe methode") < found.index("Oude methode")
    assert f'href="/library/{new.id}"' in found and f'href="/library/{old.id}"' in found
    for hidden in ("Concept", "Ingediend", "Over impact"):
        assert hidden not in found


def test_anonymous_visitors_see_only_public_items(client):
    armoede = theme("armoede")
    make_item("Openbare methode", [armoede], is_public=True)
    make_item("Voor leden", [armoede])
    found = section(client.get("/themes/armoede").text, "theme-library")
    assert "Openbare methode" in found and "Voor leden" not in found


def test_the_library_section_says_so_when_empty_in_english(client):
    found = section(client.get("/themes/impact", headers=ENGLISH).text, "theme-library")
    assert "The library has nothing on this theme yet." in found


# People ------------------------------------------------------------------------------------


def test_visible_people_with_werkplaats_role_and_programme_roles_marked(client, login):
    ouderen = theme("ondersteuning-ouderen")
    join(ouderen, make_user(name="Anna Lid", field_role=FieldRole.RESEARCHER), is_visible=True)
    join(ouderen, make_user(name="Bert Ambassadeur", home_werkplaats=werkplaats("friesland")),
         is_visible=True, role=ThemeRole.AMBASSADOR)
    join(ouderen, make_user(name="Carla Expert"), is_visible=True,
         role=ThemeRole.CONTENT_EXPERT)
    join(ouderen, make_user(name="Dirk Verborgen"), is_visible=False)
    join(theme("armoede"), make_user(name="Eva Armoede"), is_visible=True)
    login(make_user())

    people = section(client.get("/themes/ondersteuning-ouderen", headers=ENGLISH).text,
                     "theme-people")

    order = [people.index(name) for name in ("Bert Ambassadeur", "Carla Expert", "Anna Lid")]
    assert order == sorted(order)
    bert = people.split("Bert Ambassadeur")[1].split("</li>")[0]
    assert "Ambassador" in bert and "Friesland" in bert
    assert "Content expert" in people.split("Carla Expert")[1].split("</li>")[0]
    anna = people.split("Anna Lid")[1].split("</li>")[0]
    assert "Researcher" in anna and "Twente" in anna
    assert "Ambassador" not in anna and "Content expert" not in anna
    assert "Dirk Verborgen" not in people and "Eva Armoede" not in people


class TestPeopleFragment:
    def test_page_and_fragment(self, client, login):
        join(theme("armoede"), make_user(name="Zichtbare Zus"), is_visible=True)
        login(make_user())
        page = client.get("/themes/armoede/people")
        assert "<html" in page.text and "Zichtbare Zus" in page.text
        fragment = client.get("/themes/armoede/people", headers=HTMX)
        assert "<html" not in fragment.text
        assert 'id="theme-people"' in fragment.text and "Zichtbare Zus" in fragment.text

    @pytest.mark.parametrize("app_overrides", [{"PER_PAGE": 2}])
    def test_paginated(self, client, login):
        for name in ("Ans", "Bas", "Cor"):
            join(theme("armoede"), make_user(name=name), is_visible=True)
        login(make_user())
        first = section(client.get("/themes/armoede").text, "theme-people")
        assert "Ans" in first and "Cor" not in first
        assert 'href="/themes/armoede/people?page=2"' in first
        assert "Cor" in client.get("/themes/armoede/people?page=2", headers=HTMX).text

    def test_unknown_theme_is_404(self, client, login):
        login(make_user())
        assert client.get("/themes/onbekend/people").status_code == 404


# Follow and show me ------------------------------------------------------------------------


def test_follow_and_stop_following(client, login):
    user = make_user()
    login(user)
    box = section(client.get("/themes/armoede", headers=ENGLISH).text, "theme-follow")
    assert "Follow this theme" in box

    response = client.post("/themes/armoede/follow", data={"value": "1"}, headers=ENGLISH)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/themes/armoede#theme-follow")
    person = person_of(theme("armoede"), user)
    assert person.follows and not person.is_visible and person.role == ThemeRole.MEMBER
    page = client.get("/themes/armoede", headers=ENGLISH).text
    assert "You follow Armoede" in page
    assert "Stop following" in section(page, "theme-follow")

    client.post("/themes/armoede/follow", data={"value": "0"})
    assert person_of(theme("armoede"), user) is None


def test_show_me_on_the_page_and_hide_again(client, login):
    user = make_user(name="Zichtbare Zus")
    join(theme("armoede"), user)
    login(user)
    assert "Zichtbare Zus" not in section(client.get("/themes/armoede").text, "theme-people")

    client.post("/themes/armoede/visible", data={"value": "1"})
    person = person_of(theme("armoede"), user)
    assert person.is_visible and person.follows
    assert "Zichtbare Zus" in section(client.get("/themes/armoede").text, "theme-people")

    client.post("/themes/armoede/visible", data={"value": "0"})
    assert not person_of(theme("armoede"), user).is_visible


def test_toggles_with_htmx_answer_with_the_box_the_people_and_the_message(client, login):
    user = make_user(name="Zichtbare Zus")
    login(user)
    response = client.post("/themes/armoede/visible", data={"value": "1"},
                           headers=HTMX | ENGLISH)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="theme-follow"' in response.text and "Hide me from this page" in response.text
    people = section(response.text, "theme-people")
    assert 'hx-swap-oob="true"' in people and "Zichtbare Zus" in people
    assert 'id="flashes" hx-swap-oob="true"' in response.text
    assert "You are shown on the page of Armoede." in response.text
    assert person_of(theme("armoede"), user).is_visible


def test_a_toggle_without_a_value_is_refused(client, login):
    user = make_user()
    login(user)
    assert client.post("/themes/armoede/follow", data={"value": "maybe"}).status_code == 400
    assert person_of(theme("armoede"), user) is None


def log_in_with_csrf(client, user) -> None:
    login_page = client.get("/account/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/account/login", data={"email": user.email, "password": "correct horse battery",
                                        "csrf_token": token})


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_toggles_need_the_csrf_token_the_page_gives(client):
    user = make_user()
    log_in_with_csrf(client, user)
    assert client.post("/themes/armoede/follow", data={"value": "1"}).status_code == 400
    box = section(client.get("/themes/armoede").text, "theme-follow")
    token = re.search(r'name="csrf_token" value="([^"]+)"', box).group(1)
    response = client.post("/themes/armoede/follow", data={"value": "1", "csrf_token": token})
    assert response.status_code == 303
    assert person_of(theme("armoede"), user).follows


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_the_role_form_carries_its_csrf_token(client):
    bert = make_user()
    log_in_with_csrf(client, make_admin())
    people = section(client.get("/themes/ondersteuning-ouderen").text, "theme-people")
    token = re.search(r'name="role-csrf_token" type="hidden" value="([^"]+)"', people).group(1)
    data = {"role-email": bert.email, "role-role": "content_expert"}
    assert client.post("/themes/ondersteuning-ouderen/roles", data=data).status_code == 400
    response = client.post("/themes/ondersteuning-ouderen/roles",
                           data=data | {"role-csrf_token": token})
    assert response.status_code == 303
    assert person_of(theme("ondersteuning-ouderen"), bert).role == ThemeRole.CONTENT_EXPERT


def test_unknown_theme_toggles_are_404(client, login):
    login(make_user())
    assert client.post("/themes/onbekend/follow", data={"value": "1"}).status_code == 404


# Naming ambassadors and content experts -----------------------------------------------------


def test_an_association_admin_names_an_ambassador(client, login):
    bert = make_user(name="Bert", email="bert@example.org")
    login(make_admin())
    page = client.get("/themes/ondersteuning-ouderen", headers=ENGLISH).text
    assert "Name an ambassador or content expert" in section(page, "theme-people")

    response = client.post("/themes/ondersteuning-ouderen/roles",
                           data={"role-email": " Bert@Example.org ", "role-role": "ambassador"})
    assert response.status_code == 303
    person = person_of(theme("ondersteuning-ouderen"), bert)
    assert person.role == ThemeRole.AMBASSADOR and person.is_visible
    people = section(client.get("/themes/ondersteuning-ouderen", headers=ENGLISH).text,
                     "theme-people")
    assert "Ambassador" in people.split("Bert")[1].split("</li>")[0]


def test_naming_with_htmx_answers_with_the_people_and_a_message(client, login):
    carla = make_user(name="Carla")
    join(theme("ondersteuning-ouderen"), carla, is_visible=True, role=ThemeRole.AMBASSADOR)
    login(make_admin())
    response = client.post("/themes/ondersteuning-ouderen/roles",
                           data={"role-email": carla.email, "role-role": "content_expert"},
                           headers=HTMX | ENGLISH)
    assert "<html" not in response.text
    people = section(response.text, "theme-people")
    assert "Content expert" in people.split("Carla")[1].split("</li>")[0]
    assert "Carla is now a content expert of Ondersteuning ouderen." in response.text
    assert person_of(theme("ondersteuning-ouderen"), carla).role == ThemeRole.CONTENT_EXPERT


def test_an_unknown_address_is_shown_next_to_the_field_and_kept(client, login):
    login(make_admin())
    response = client.post("/themes/ondersteuning-ouderen/roles",
                           data={"role-email": "niemand@example.org", "role-role": "ambassador"},
                           headers=ENGLISH)
    assert response.status_code == 422
    assert "<html" in response.text
    assert "No account has this e-mail address." in response.text
    assert 'value="niemand@example.org"' in response.text
    response = client.post("/themes/ondersteuning-ouderen/roles",
                           data={"role-email": "", "role-role": "ambassador"},
                           headers=HTMX | ENGLISH)
    assert response.status_code == 422
    assert "<html" not in response.text and "Enter an e-mail address." in response.text


@pytest.mark.parametrize("who", ["member", "werkplaats_admin"])
def test_only_association_admins_name_roles(client, login, who):
    bert = make_user()
    login(make_user() if who == "member" else make_werkplaats_admin())
    page = client.get("/themes/ondersteuning-ouderen", headers=ENGLISH).text
    assert "Name an ambassador" not in page
    response = client.post("/themes/ondersteuning-ouderen/roles",
                           data={"role-email": bert.email, "role-role": "ambassador"})
    assert response.status_code == 403
    assert person_of(theme("ondersteuning-ouderen"), bert) is None


def test_theme_groups_have_no_ambassadors(client, login):
    bert = make_user()
    login(make_admin())
    assert "Name an ambassador" not in client.get("/themes/armoede", headers=ENGLISH).text
    response = client.post("/themes/armoede/roles", data={"role-email": bert.email,
                                                          "role-role": "ambassador"})
    assert response.status_code == 403


# The themes I follow -----------------------------------------------------------------------


def test_the_themes_page_lists_the_themes_i_follow(client, login):
    user = make_user()
    join(theme("impact"), user)
    join(theme("armoede"), user, follows=False, is_visible=True)
    login(user)
    page = client.get("/themes/", headers=ENGLISH).text
    found = section(page, "themes-followed")
    assert 'href="/themes/impact"' in found and "/themes/armoede" not in found
    assert page.count('id="themes-followed"') == 1


def test_no_followed_list_without_followed_themes(client, login):
    assert 'id="themes-followed"' not in client.get("/themes/").text
    login(make_user())
    assert 'id="themes-followed"' not in client.get("/themes/").text


# The theme page's query count --------------------------------------------------------------


def _fill(theme_, n: int) -> None:
    """``n`` circles with a meeting each, visits, library items and visible people on the
    theme, in a few commits."""
    host = make_user()
    for k in range(n):
        circle = make_circle(theme=theme_, werkplaats=werkplaats("friesland"))
        db.session.add(Meeting(circle=circle, title=f"Bijeenkomst {k}",
                               starts_at=NOW + timedelta(days=k + 1),
                               ends_at=NOW + timedelta(days=k + 1, hours=2)))
        make_visit(host, themes=[theme_], starts_at=NOW + timedelta(days=k + 1))
        make_item(f"Methode {k}", [theme_], published_at=NOW - timedelta(days=k), is_public=True)
        join(theme_, make_user(), is_visible=True,
             role=ThemeRole.AMBASSADOR if k % 3 == 0 else ThemeRole.MEMBER)
    db.session.commit()


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_the_theme_page_runs_a_fixed_number_of_queries(client, login, count_queries, who):
    ouderen = theme("ondersteuning-ouderen")
    if who != "anonymous":
        user = make_admin() if who == "admin" else make_user()
        join(ouderen, user, is_visible=True)
        login(user)
    _fill(ouderen, 1)
    with count_queries() as few:
        client.get("/themes/ondersteuning-ouderen")
    _fill(ouderen, 25)
    with count_queries() as many:
        page = client.get("/themes/ondersteuning-ouderen")
    assert "Methode 0" in page.text
    assert few.count == many.count


# The weekly digest -------------------------------------------------------------------------

MONDAY = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
SINCE = MONDAY - timedelta(days=7)


def digest_of(app, user):
    with app.test_request_context(headers=ENGLISH):
        return theme_views.new_on_my_themes(user, SINCE, MONDAY)


def test_the_digest_tells_what_is_new_on_the_themes_i_follow(app):
    user = make_user(locale="en")
    armoede, impact, sociale_basis = theme("armoede"), theme("impact"), theme("sociale-basis")
    join(armoede, user)
    join(impact, user)
    join(sociale_basis, user, follows=False, is_visible=True)
    both = make_item("Armoede en impact", [armoede, impact],
                     published_at=MONDAY - timedelta(days=1))
    make_item("Werkwijze schulden", [armoede], published_at=MONDAY - timedelta(days=3))
    make_item("Vorige week", [armoede], published_at=SINCE - timedelta(hours=1))
    make_item("Nog een concept", [armoede], status=ItemStatus.DRAFT)
    make_item("Niet gevolgd", [sociale_basis], published_at=MONDAY - timedelta(days=1))
    host = make_user()
    visit = make_visit(host, title="Keuken Enschede", themes=[impact],
                       starts_at=MONDAY + timedelta(days=3))
    visit.created_at = MONDAY - timedelta(days=2)
    for title, kw in {
        "Nog niet goedgekeurd": dict(status=VisitStatus.PENDING),
        "Gaat niet door": dict(status=VisitStatus.CANCELLED),
        "Al langer bekend": dict(created_at=SINCE - timedelta(days=1)),
        "Al geweest": dict(starts_at=MONDAY - timedelta(days=1)),
    }.items():
        kw.setdefault("created_at", MONDAY - timedelta(days=2))
        kw.setdefault("starts_at", MONDAY + timedelta(days=3))
        make_visit(host, title=title, themes=[armoede], **kw)
    db.session.commit()

    found = digest_of(app, user)

    assert found.title == "New on your themes"
    texts = [item.text for item in found.items]
    assert texts[0] == "In the library: Armoede en impact (Armoede, Impact)"
    assert texts[1].startswith("Kitchen visit: Keuken Enschede, Thursday, December 10, 2026")
    assert texts[1].endswith("(Impact)")
    assert texts[2] == "In the library: Werkwijze schulden (Armoede)"
    assert len(texts) == 3
    assert found.items[0].link == f"/library/{both.id}"
    assert found.items[1].link == f"/visits/{visit.id}"


def test_no_digest_section_without_news(app):
    user = make_user()
    make_item("Werkwijze schulden", [theme("armoede")], published_at=MONDAY - timedelta(days=1))
    assert digest_of(app, user) is None
    join(theme("impact"), user)
    assert digest_of(app, user) is None


def test_the_digest_section_is_one_query_whatever_the_news(app, count_queries):
    user = make_user()
    armoede = theme("armoede")
    join(armoede, user)
    make_item("Eerste", [armoede], published_at=MONDAY - timedelta(days=1))
    db.session.refresh(user)
    with count_queries() as few:
        digest_of(app, user)
    for k in range(30):
        make_item(f"Methode {k}", [armoede, theme("impact")],
                  published_at=MONDAY - timedelta(hours=k + 2))
        make_visit(make_user(), themes=[armoede], created_at=MONDAY - timedelta(days=1),
                   starts_at=MONDAY + timedelta(days=2))
    join(theme("impact"), user)
    db.session.refresh(user)
    with count_queries() as many:
        found = digest_of(app, user)
    assert few.count == many.count == 1
    assert len(found.items) <= theme_views.DIGEST_LIMIT


def test_the_digest_section_is_registered():
    from leerkring.notifications.registry import DIGEST_SECTIONS

    assert DIGEST_SECTIONS["library.themes"] is theme_views.new_on_my_themes


# Languages ---------------------------------------------------------------------------------


def test_the_theme_page_in_english(client, login):
    login(make_user())
    page = client.get("/themes/armoede", headers=ENGLISH).text
    for heading in ("You and this theme", "Upcoming meetings", "Coming kitchen visits",
                    "From the library", "People"):
        assert heading in page
    assert "Show me on this page" in page


def test_the_theme_page_in_dutch(client, login):
    login(make_user())
    page = client.get("/themes/armoede").text
    for heading in ("Jij en dit thema", "Komende bijeenkomsten", "Uit de bibliotheek",
                    "Volg dit thema", "Toon mij op deze pagina"):
        assert heading in page
