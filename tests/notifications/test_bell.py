"""The notification bell: the unread count in the navigation, polled with htmx every minute in
one query, announced politely, and named "Notifications (3 unread)" for screen readers."""

import re

from leerkring.extensions import db
from leerkring.notifications import services
from tests import factories as f
from tests.circles.helpers import ENGLISH, HTMX, is_page
from tests.notifications.ui_helpers import sign_in_as

URL = "/notifications/unread"


def notices(user, count):
    for n in range(count):
        services.notify(user, "circle_request_approved", "/circles/1", circle=f"Kring {n}")
    db.session.commit()


def navigation(response) -> str:
    return response.text.split("<main")[0]


def accessible_link_text(html: str) -> str:
    """The notifications link's text as a screen reader reads it: without aria-hidden parts."""
    link = re.search(r'<a href="/notifications/"[^>]*>(.*?)</a>', html, re.S).group(1)
    link = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", link, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", link).split())


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).headers["Location"].startswith("/account/login")
    assert "/account/login" in client.get(URL, headers=HTMX).headers["HX-Redirect"]


def test_the_navigation_names_the_count_and_polls_for_it(client, login):
    user = f.make_user()
    notices(user, 3)
    sign_in_as(client, login, user)
    nav = navigation(client.get("/circles/", headers=ENGLISH))
    assert accessible_link_text(nav) == "Notifications (3 unread)"
    live_region = r'<span aria-live="polite" aria-atomic="true">\s*<span id="notification-count"'
    assert re.search(live_region, nav)
    assert 'hx-get="/notifications/unread?shown=3"' in nav
    assert 'hx-trigger="every 60s"' in nav
    assert '<span class="badge" aria-hidden="true">3</span>' in nav
    dutch = navigation(client.get("/circles/"))
    assert accessible_link_text(dutch) == "Meldingen (3 ongelezen)"


def test_no_badge_without_unread_notices(client, login):
    sign_in_as(client, login, f.make_user())
    nav = navigation(client.get("/circles/", headers=ENGLISH))
    assert accessible_link_text(nav) == "Notifications"
    assert 'class="badge"' not in nav
    assert 'hx-get="/notifications/unread?shown=0"' in nav


def test_page_and_fragment(client, login):
    user = f.make_user()
    notices(user, 2)
    sign_in_as(client, login, user)
    page = client.get(URL, headers=ENGLISH)
    assert is_page(page)
    assert "You have 2 unread notices." in page.text
    assert "Je hebt 2 ongelezen meldingen." in client.get(URL).text

    fragment = client.get(URL, headers={**HTMX, **ENGLISH})
    assert not is_page(fragment)
    assert 'id="notification-count"' in fragment.text
    assert "(2 unread)" in fragment.text
    assert 'hx-get="/notifications/unread?shown=2"' in fragment.text


def test_the_poll_swaps_nothing_while_the_count_is_unchanged(client, login):
    user = f.make_user()
    notices(user, 2)
    sign_in_as(client, login, user)
    unchanged = client.get(f"{URL}?shown=2", headers=HTMX)
    assert unchanged.status_code == 204 and unchanged.text == ""
    notices(user, 1)
    changed = client.get(f"{URL}?shown=2", headers={**HTMX, **ENGLISH})
    assert changed.status_code == 200
    assert "(3 unread)" in changed.text and 'shown=3"' in changed.text
    # A plain visit always gets the page.
    assert is_page(client.get(f"{URL}?shown=3"))


def test_reading_the_notices_lowers_the_count(client, login):
    user = f.make_user()
    notices(user, 2)
    sign_in_as(client, login, user)
    page = client.get("/notifications/", headers=ENGLISH)
    assert accessible_link_text(navigation(page)) == "Notifications"
    assert "(0 unread)" not in client.get(URL, headers={**HTMX, **ENGLISH}).text


def test_the_poll_is_one_query_on_notices_whatever_their_number(client, login, count_queries):
    def poll_queries(user):
        sign_in_as(client, login, user)
        with count_queries() as counter:
            response = client.get(URL, headers=HTMX)
        assert 'id="notification-count"' in response.text
        return counter.statements

    few, many = f.make_user(), f.make_user()
    notices(few, 1)
    notices(many, 60)
    small, large = poll_queries(few), poll_queries(many)
    assert len(small) == len(large)
    assert len([s for s in large if "FROM notifications" in s]) == 1
