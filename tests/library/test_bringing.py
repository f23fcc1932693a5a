"""Bring into a circle: a coordinator puts a published library item on a coming meeting of a
circle they coordinate; the meeting page shows it under "From the library" to whoever sees the
meeting, and the circle's coordinators can take it off again."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.circles.models import CircleRole, Visibility
from leerkring.extensions import db
from leerkring.library.models import ItemKind, ItemPlacement, ItemStatus, LibraryItem
from leerkring.library.sharing_services import placements_count
from leerkring.meetings.models import MeetingStatus
from tests.factories import add_member, make_circle, make_meeting, make_user

EN = {"Accept-Language": "en"}
NL = {"Accept-Language": "nl"}


def make_item(title="Het buurtgesprek", status=ItemStatus.PUBLISHED, **kw) -> LibraryItem:
    kw.setdefault("kind", ItemKind.METHOD)
    kw.setdefault("summary", "Een methode om met bewoners het gesprek te openen.")
    if status == ItemStatus.PUBLISHED:
        kw.setdefault("published_at", datetime.now(UTC))
    item = LibraryItem(title=title, status=status, **kw)
    db.session.add(item)
    db.session.commit()
    return item


def days(n: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=n)).replace(hour=19, minute=0, second=0,
                                                           microsecond=0)


def placements() -> list[ItemPlacement]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(ItemPlacement).order_by(ItemPlacement.id)).scalars())


def offered(html: str) -> set[int]:
    """The meeting ids the bring form offers."""
    return {int(value) for value in re.findall(r'<option value="(\d+)"', html)}


@pytest.fixture
def coordinator():
    return make_user(name="Coby Coördinator")


def test_a_coordinator_brings_an_item_into_a_coming_meeting(client, login, coordinator):
    item = make_item()
    mine = make_circle(coordinator, name="Armoede Hengelo")
    coming = make_meeting(mine, title="Mei-bijeenkomst", starts_at=days(3))
    later = make_meeting(mine, title="Juni-bijeenkomst", starts_at=days(30))
    past = make_meeting(mine, title="Vorige keer", starts_at=days(-3))
    cancelled = make_meeting(mine, starts_at=days(5), status=MeetingStatus.CANCELLED)
    other = make_circle(name="Niet de mijne")
    add_member(other, coordinator)
    as_member = make_meeting(other, starts_at=days(4))
    stranger = make_meeting(make_circle(), starts_at=days(4))
    archived = make_circle(coordinator, archived_at=datetime.now(UTC))
    in_archived = make_meeting(archived, starts_at=days(4))
    login(coordinator)

    form = client.get(f"/library/{item.id}/bring", headers=EN)
    assert form.status_code == 200 and "<html" in form.text
    assert "Bring into a circle" in form.text and "Het buurtgesprek" in form.text
    assert '<optgroup label="Armoede Hengelo">' in form.text
    assert "Mei-bijeenkomst" in form.text and "Juni-bijeenkomst" in form.text
    assert offered(form.text) == {coming.id, later.id}
    for meeting in (past, cancelled, as_member, stranger, in_archived):
        assert meeting.id not in offered(form.text)

    response = client.post(f"/library/{item.id}/bring", data={"meeting": coming.id}, headers=EN)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/library/{item.id}/het-buurtgesprek")
    [placement] = placements()
    assert (placement.item_id, placement.meeting_id, placement.circle_id) == (
        item.id, coming.id, mine.id)
    assert placement.placed_by_id == coordinator.id
    shown = client.get(f"/meetings/{coming.id}", headers=EN)
    assert "is on the agenda of “Mei-bijeenkomst”" in shown.text
    assert "From the library" in shown.text

    again = client.post(f"/library/{item.id}/bring", data={"meeting": coming.id}, headers=EN)
    assert again.status_code == 303
    assert len(placements()) == 1
    shown = client.get(f"/meetings/{coming.id}", headers=EN)
    assert "is already on the agenda of “Mei-bijeenkomst”" in shown.text


@pytest.mark.parametrize("which", ["past", "cancelled", "as_member", "stranger", "nothing"])
def test_only_coming_meetings_of_my_circles_are_taken(client, login, coordinator, which):
    item = make_item()
    mine = make_circle(coordinator)
    make_meeting(mine, starts_at=days(3))
    other = make_circle()
    add_member(other, coordinator)
    meetings = {
        "past": make_meeting(mine, starts_at=days(-1)).id,
        "cancelled": make_meeting(mine, starts_at=days(2), status=MeetingStatus.CANCELLED).id,
        "as_member": make_meeting(other, starts_at=days(2)).id,
        "stranger": make_meeting(make_circle(), starts_at=days(2)).id,
        "nothing": "",
    }
    login(coordinator)
    response = client.post(f"/library/{item.id}/bring", data={"meeting": meetings[which]},
                           headers=EN)
    assert response.status_code == 422
    assert ("Choose the meeting whose agenda it goes on." if which == "nothing"
            else "Choose a coming meeting of a circle you coordinate.") in response.text
    assert placements() == []


def test_without_coming_meetings_the_page_says_what_to_do(client, login, coordinator):
    item = make_item()
    make_circle(coordinator)
    login(coordinator)
    page = client.get(f"/library/{item.id}/bring", headers=EN)
    assert page.status_code == 200
    assert "None of the circles you coordinate has a coming meeting" in page.text
    assert "<select" not in page.text


def test_only_coordinators_bring_and_only_published_items(client, login, coordinator):
    item = make_item()
    member = make_user()
    circle = make_circle(coordinator, members=[member])
    meeting = make_meeting(circle, starts_at=days(3))
    login(member)
    assert client.get(f"/library/{item.id}/bring", headers=EN).status_code == 403
    assert client.post(f"/library/{item.id}/bring", data={"meeting": meeting.id},
                       headers=EN).status_code == 403
    client.post("/account/logout")
    login(coordinator)
    draft = make_item(status=ItemStatus.DRAFT)
    assert client.get(f"/library/{draft.id}/bring", headers=EN).status_code == 404
    own_draft = make_item(status=ItemStatus.DRAFT, created_by_id=coordinator.id)
    assert client.get(f"/library/{own_draft.id}/bring", headers=EN).status_code == 403
    assert client.get("/library/999999/bring", headers=EN).status_code == 404
    assert placements() == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    item = make_item(is_public=True)
    response = client.get(f"/library/{item.id}/bring")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


# On the meeting page ----------------------------------------------------------------------------


def bring(item, meeting, user) -> ItemPlacement:
    placement = ItemPlacement(item_id=item.id, meeting_id=meeting.id, circle_id=meeting.circle_id,
                              placed_by_id=user.id)
    db.session.add(placement)
    db.session.commit()
    return placement


def test_the_meeting_page_shows_the_items_on_its_agenda(client, login, coordinator):
    member, outsider = make_user(), make_user()
    circle = make_circle(coordinator, members=[member])
    meeting = make_meeting(circle, starts_at=days(3))
    item = make_item()
    hidden = make_item("Nog een concept", status=ItemStatus.DRAFT)
    bring(item, meeting, coordinator)
    bring(hidden, meeting, coordinator)
    elsewhere = make_item("Elders")
    bring(elsewhere, make_meeting(circle, starts_at=days(10)), coordinator)

    for user in (member, outsider):
        login(user)
        page = client.get(f"/meetings/{meeting.id}", headers=EN)
        assert "From the library" in page.text
        assert f'<a href="/library/{item.id}/het-buurtgesprek">Het buurtgesprek</a>' in page.text
        assert "Een methode om met bewoners" in page.text
        assert "Nog een concept" not in page.text and "Elders" not in page.text
        assert "Take off the agenda" not in page.text
        client.post("/account/logout")
    login(coordinator)
    page = client.get(f"/meetings/{meeting.id}", headers=EN)
    assert "Take off the agenda" in page.text


def test_a_meeting_without_items_has_no_library_section(client, login, coordinator):
    meeting = make_meeting(make_circle(coordinator), starts_at=days(3))
    login(coordinator)
    assert "From the library" not in client.get(f"/meetings/{meeting.id}", headers=EN).text


def test_a_coordinator_takes_an_item_off_the_agenda(client, login, coordinator):
    member = make_user()
    circle = make_circle(coordinator, members=[member])
    meeting = make_meeting(circle, starts_at=days(3))
    placement_id = bring(make_item(), meeting, coordinator).id
    login(member)
    assert client.post(f"/library/placements/{placement_id}/delete").status_code == 403
    client.post("/account/logout")
    login(make_user())
    assert client.post(f"/library/placements/{placement_id}/delete").status_code == 403
    client.post("/account/logout")
    login(coordinator)
    response = client.post(f"/library/placements/{placement_id}/delete", headers=EN)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert placements() == []
    page = client.get(response.headers["Location"], headers=EN)
    assert "is no longer on the agenda" in page.text and "From the library" not in page.text
    assert client.post(f"/library/placements/{placement_id}/delete").status_code == 404


def test_a_members_only_circles_placements_are_hidden_from_others(client, login, coordinator):
    circle = make_circle(coordinator, visibility=Visibility.MEMBERS)
    placement_id = bring(make_item(), make_meeting(circle, starts_at=days(3)), coordinator).id
    login(make_user())
    assert client.post(f"/library/placements/{placement_id}/delete").status_code == 404
    assert len(placements()) == 1


def test_the_meeting_page_runs_a_fixed_number_of_queries(client, login, coordinator,
                                                         count_queries):
    circle = make_circle(coordinator)
    few, many = make_meeting(circle, starts_at=days(3)), make_meeting(circle, starts_at=days(4))
    bring(make_item(), few, coordinator)
    for n in range(8):
        bring(make_item(f"Product {n}"), many, coordinator)
    login(coordinator)

    def count(meeting) -> int:
        with count_queries() as counter:
            response = client.get(f"/meetings/{meeting.id}", headers=EN)
        assert response.status_code == 200 and "From the library" in response.text
        return counter.count

    assert count(few) == count(many)


def test_placements_count_counts_circles_per_item(app, coordinator):
    first, second = make_circle(coordinator), make_circle(coordinator)
    item, other, unused = make_item(), make_item(), make_item()
    bring(item, make_meeting(first, starts_at=days(3)), coordinator)
    bring(item, make_meeting(first, starts_at=days(10)), coordinator)
    bring(item, make_meeting(second, starts_at=days(3)), coordinator)
    bring(other, make_meeting(second, starts_at=days(5)), coordinator)
    assert placements_count([item.id, other.id, unused.id]) == {
        item.id: 2, other.id: 1, unused.id: 0,
    }
    assert placements_count([]) == {}


def test_a_coordinator_in_one_circle_may_bring_while_a_member_of_others(client, login):
    user = make_user()
    led = make_circle()
    add_member(led, user, role=CircleRole.COORDINATOR)
    make_circle(members=[user])
    meeting = make_meeting(led, starts_at=days(2))
    item = make_item()
    login(user)
    client.post(f"/library/{item.id}/bring", data={"meeting": meeting.id}, headers=EN)
    assert [p.meeting_id for p in placements()] == [meeting.id]


# On the item's page -----------------------------------------------------------------------------


def test_the_item_page_offers_bringing_to_coordinators_and_counts_circles(client, login,
                                                                         coordinator):
    item = make_item(is_public=True)
    first, second = make_circle(coordinator), make_circle(coordinator)
    bring(item, make_meeting(first, starts_at=days(3)), coordinator)
    bring(item, make_meeting(first, starts_at=days(9)), coordinator)
    bring(item, make_meeting(second, starts_at=days(3)), coordinator)
    url = f"/library/{item.id}/het-buurtgesprek"

    login(coordinator)
    page = client.get(url, headers=EN)
    assert "Brought into 2 circles" in page.text
    assert f'href="/library/{item.id}/bring"' in page.text
    client.post("/account/logout")
    login(make_user())
    page = client.get(url, headers=EN)
    assert "Brought into 2 circles" in page.text and "Bring into a circle" not in page.text
    client.post("/account/logout")
    page = client.get(url, headers=EN)
    assert page.status_code == 200 and "Brought into 2 circles" in page.text
    assert "Bring into a circle" not in page.text


def test_an_item_brought_nowhere_shows_only_the_way_to_bring_it(client, login, coordinator):
    item = make_item()
    make_circle(coordinator)
    login(coordinator)
    page = client.get(f"/library/{item.id}/het-buurtgesprek", headers=EN)
    assert "Bring into a circle" in page.text and "Brought into" not in page.text
    draft = make_item("Concept", status=ItemStatus.DRAFT, created_by_id=coordinator.id)
    page = client.get(f"/library/{draft.id}/concept", headers=EN)
    assert page.status_code == 200 and "Bring into a circle" not in page.text


# Languages --------------------------------------------------------------------------------------


def test_the_bring_form_in_english_and_dutch(client, login, coordinator):
    item = make_item()
    make_meeting(make_circle(coordinator), starts_at=days(3))
    login(coordinator)
    english = client.get(f"/library/{item.id}/bring", headers=EN)
    assert "Put it on the agenda" in english.text and "Choose a meeting" in english.text
    dutch = client.get(f"/library/{item.id}/bring", headers=NL)
    assert "Op de agenda zetten" in dutch.text and "Put it on the agenda" not in dutch.text
