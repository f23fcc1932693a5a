"""Coordinators turn kinds of reminders off for everyone in their circle."""

import re
from datetime import timedelta

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications.models import CircleMutedKind, DeliveryStatus
from tests import factories as f
from tests.circles.helpers import ENGLISH, is_page
from tests.notifications import ui_helpers
from tests.notifications.ui_helpers import NAME, sign_in_as

ui_kind = ui_helpers.ui_kind

#: What a browser posts when no box is checked: only the form's token (an empty form would count
#: as not sent at all).
ALL_OFF = {"csrf_token": "token"}


def url(circle) -> str:
    return f"/notifications/circles/{circle.id}"


def muted(circle) -> list[str]:
    return sorted(
        db.session.execute(
            db.select(CircleMutedKind.kind).filter_by(circle_id=circle.id)
        ).scalars()
    )


def is_checked(response, name) -> bool:
    return " checked" in re.search(rf'<input[^>]*name="{name}"[^>]*>', response.text).group(0)


def test_access(client, login):
    coordinator, member = f.make_user(), f.make_user()
    circle = f.make_circle(coordinator=coordinator, members=[member])
    hidden = f.make_circle(coordinator=f.make_user(), visibility="members")
    assert client.get(url(circle)).headers["Location"].startswith("/account/login")
    sign_in_as(client, login, member)
    assert client.get(url(circle)).status_code == 403
    assert client.post(url(circle), data={}).status_code == 403
    other_coordinator = f.make_user()
    f.make_circle(coordinator=other_coordinator)
    sign_in_as(client, login, other_coordinator)
    assert client.get(url(circle)).status_code == 403
    assert client.get(url(hidden)).status_code == 404
    assert muted(circle) == []
    sign_in_as(client, login, coordinator)
    assert client.get(url(circle)).status_code == 200
    sign_in_as(client, login, f.make_admin())
    assert client.get(url(hidden)).status_code == 200


def test_an_archived_circle_cannot_be_changed(client, login):
    coordinator = f.make_user()
    circle = f.make_circle(coordinator=coordinator, archived_at=utcnow())
    sign_in_as(client, login, coordinator)
    assert client.get(url(circle)).status_code == 403


def test_the_circle_page_links_to_it_for_coordinators_only(client, login):
    coordinator, member = f.make_user(), f.make_user()
    circle = f.make_circle(coordinator=coordinator, members=[member])
    sign_in_as(client, login, coordinator)
    assert f'href="{url(circle)}"' in client.get(f"/circles/{circle.id}").text
    sign_in_as(client, login, member)
    assert f'href="{url(circle)}"' not in client.get(f"/circles/{circle.id}").text


def test_turning_a_kind_off_and_on_again(client, login, ui_kind):
    coordinator = f.make_user()
    circle = f.make_circle(coordinator=coordinator, name="Armoede Twente")
    sign_in_as(client, login, coordinator)
    page = client.get(url(circle), headers=ENGLISH)
    assert is_page(page)
    assert "Reminders for Armoede Twente" in page.text
    assert "Something coming up" in page.text and is_checked(page, f"on__{NAME}")
    assert "Herinneringen voor Armoede Twente" in client.get(url(circle)).text

    response = client.post(url(circle), data=ALL_OFF, headers=ENGLISH)
    assert response.headers["Location"] == url(circle)
    assert NAME in muted(circle)
    page = client.get(url(circle), headers=ENGLISH)
    assert "The reminders for this circle are saved." in page.text
    assert not is_checked(page, f"on__{NAME}")

    client.post(url(circle), data={f"on__{NAME}": "y"})
    assert NAME not in muted(circle)


def test_reminders_already_planned_for_the_circle_follow_at_once(client, login, ui_kind):
    coordinator, member = f.make_user(), f.make_user()
    circle, other = f.make_circle(coordinator=coordinator, members=[member]), f.make_circle()
    later = utcnow() + timedelta(hours=2)
    ui_kind.want(member, subject_id=1, due_at=later, circle_id=circle.id)
    ui_kind.want(member, subject_id=2, due_at=later, circle_id=other.id)
    ui_kind.plan(subject_ids=(1, 2))
    sign_in_as(client, login, coordinator)
    client.post(url(circle), data=ALL_OFF)
    statuses = {(row.subject_id, row.status) for row in ui_kind.rows()}
    assert statuses == {(1, DeliveryStatus.CANCELLED), (2, DeliveryStatus.PENDING)}

    client.post(url(circle), data={f"on__{NAME}": "y"})
    assert {row.status for row in ui_kind.rows()} == {DeliveryStatus.PENDING}
