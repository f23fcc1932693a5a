"""Who sees a case, its comments and a reflection: the circle's current members and the author,
as the sharing level says; nobody else, not even admins. Every refusal hides the object (404),
and no page leaks its title or text."""

from dataclasses import dataclass

import pytest

from leerkring.circles import services as circle_services
from leerkring.circles.queries import membership_of
from leerkring.extensions import db
from leerkring.notes.models import CaseStatus, Sharing
from tests.factories import (
    make_admin,
    make_case,
    make_circle,
    make_comment,
    make_meeting,
    make_reflection,
    make_user,
    make_werkplaats_admin,
)

TITLE = "Geheime casustitel"
SITUATION = "Een bewoner met een verborgen verhaal."
COMMENT = "Een reactie die binnen de kring blijft."
REFLECTION = "Wat ik leerde van deze bijeenkomst."
ROLES = (
    "anonymous", "author", "member", "coordinator", "other_circle", "werkplaats_admin",
    "association_admin", "former_member",
)


@dataclass
class World:
    users: dict
    circle: object
    meeting: object


@pytest.fixture
def world(app):
    author, member, coordinator, former = (make_user() for _ in range(4))
    circle = make_circle(coordinator=coordinator, members=[author, member, former])
    make_circle(members=[other := make_user()])
    meeting = make_meeting(circle)
    circle_services.leave(membership_of(former, circle))
    db.session.commit()
    users = {
        "anonymous": None, "author": author, "member": member, "coordinator": coordinator,
        "other_circle": other, "werkplaats_admin": make_werkplaats_admin(),
        "association_admin": make_admin(), "former_member": former,
    }
    return World(users, circle, meeting)


def sees(client, login, user, url, secret) -> bool:
    """Open ``url`` as ``user`` (then log out): True when the page shows ``secret``. A refusal
    must be a 404, or the login page for the anonymous, and must not show it."""
    if user is not None:
        login(user)
    response = client.get(url)
    if user is not None:
        client.post("/account/logout")
    if response.status_code == 200 and secret in response.text:
        return True
    assert secret not in response.text
    assert response.status_code == (404 if user else 302), (url, response.status_code)
    return False


def seen_by_role(client, login, world, url, secret) -> dict[str, bool]:
    return {role: sees(client, login, world.users[role], url, secret) for role in ROLES}


def readers(*roles) -> dict[str, bool]:
    return {role: role in roles for role in ROLES}


@pytest.mark.parametrize("status, allowed", [
    (CaseStatus.SHARED, ("author", "member", "coordinator")),
    (CaseStatus.CLOSED, ("author", "member", "coordinator")),
    (CaseStatus.DRAFT, ("author",)),
])
def test_a_case_page(world, client, login, status, allowed):
    case = make_case(world.circle, world.users["author"], title=TITLE, situation=SITUATION,
                     status=status, meeting=world.meeting)
    assert seen_by_role(client, login, world, f"/notes/{case.id}", SITUATION) == readers(*allowed)


@pytest.mark.parametrize("page", ["cases", "meeting"])
def test_the_case_list_and_the_meeting_page_show_a_case_to_its_readers_only(
        world, client, login, page):
    make_case(world.circle, world.users["author"], title=TITLE, meeting=world.meeting)
    url = {"cases": f"/circles/{world.circle.id}/cases",
           "meeting": f"/meetings/{world.meeting.id}"}[page]
    seen = {}
    for role in ROLES:
        user = world.users[role]
        if user is not None:
            login(user)
        seen[role] = TITLE in client.get(url).text
        if user is not None:
            client.post("/account/logout")
    assert seen == readers("author", "member", "coordinator")


def test_comments_follow_their_case(world, client, login):
    case = make_case(world.circle, world.users["author"], title=TITLE)
    make_comment(case, world.users["member"], body=COMMENT)
    url = f"/notes/{case.id}/comments"
    assert seen_by_role(client, login, world, url, COMMENT) == readers(
        "author", "member", "coordinator"
    )


@pytest.mark.parametrize("sharing, allowed", [
    (Sharing.PRIVATE, ("author",)),
    (Sharing.MENTOR, ("author", "coordinator")),
    (Sharing.CIRCLE, ("author", "member", "coordinator")),
])
def test_a_reflection(world, client, login, sharing, allowed):
    reflection = make_reflection(
        world.users["author"], sharing=sharing, circle=world.circle,
        parts={"answer": REFLECTION},
    )
    url = f"/reflections/{reflection.id}"
    assert seen_by_role(client, login, world, url, REFLECTION) == readers(*allowed)


def test_a_former_member_who_wrote_a_case_still_sees_it(world, client, login):
    case = make_case(world.circle, world.users["former_member"], title=TITLE, situation=SITUATION)
    login(world.users["former_member"])
    assert SITUATION in client.get(f"/notes/{case.id}").text
