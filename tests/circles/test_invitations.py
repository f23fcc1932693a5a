"""Invitations by e-mail: only a hash is stored, the link works once, also for new people."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from leerkring.extensions import db
from leerkring.invitations import hash_token
from leerkring.models import Invitation, User
from tests import factories as f
from tests.accounts.helpers import link_in as account_link
from tests.accounts.helpers import registration
from tests.circles.helpers import ENGLISH, field_error, is_page, membership
from tests.conftest import Mailbox


@pytest.fixture
def circle(app):
    return f.make_circle(
        name="Besloten kring",
        coordinator=f.make_user(name="Carla Coördinator"),
        join_mode="invitation",
        visibility="members",
    )


def coordinator(circle):
    return circle.memberships[0].user


def link_in(message) -> str:
    return re.search(r"http://leerkring\.test(/circles/invitations/\S+)", Mailbox.text(message))[1]


def test_the_invite_page_lists_open_invitations(client, login, circle):
    f.make_invitation(circle, "open@example.org", invited_by=coordinator(circle))
    f.make_invitation(circle, "verlopen@example.org",
                      expires_at=datetime.now(UTC) - timedelta(days=1))
    login(coordinator(circle))
    page = client.get(f"/circles/{circle.id}/invite")
    assert is_page(page) and "Mensen uitnodigen voor Besloten kring" in page.text
    assert "open@example.org" in page.text and "uitgenodigd door Carla Coördinator" in page.text
    assert "verlopen@example.org" not in page.text


@pytest.mark.parametrize("who, status", [("member", 403), ("outsider", 404),
                                         ("werkplaats_admin", 200)])
def test_who_may_invite(client, login, circle, who, status):
    user = {
        "member": lambda: f.add_member(circle, f.make_user()).user,
        "outsider": f.make_user,
        "werkplaats_admin": lambda: f.make_werkplaats_admin("twente"),
    }[who]()
    login(user)
    assert client.get(f"/circles/{circle.id}/invite").status_code == status
    response = client.post(f"/circles/{circle.id}/invite", data={"emails": "a@example.org"})
    assert response.status_code == (303 if status == 200 else status)


def test_invite_by_mail_and_accept_with_an_account(client, login, circle, mailbox):
    login(coordinator(circle))
    response = client.post(
        f"/circles/{circle.id}/invite",
        data={"emails": "Nieuw@Example.org, bestaand@example.org\nnieuw@example.org"},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "Uitnodigingen verstuurd: 2." in page.text

    [message] = mailbox.to("bestaand@example.org")
    assert message["Subject"] == "Uitnodiging voor de leerkring Besloten kring"
    text = Mailbox.text(message)
    assert "Carla Coördinator nodigt je uit voor de leerkring “Besloten kring”" in text
    link = link_in(message)
    token = link.rsplit("/", 1)[1]
    stored = db.session.execute(db.select(Invitation).filter_by(email="bestaand@example.org"))
    invitation = stored.scalar_one()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert len(mailbox.to("nieuw@example.org")) == 1

    client.post("/account/logout")
    guest = f.make_user(email="bestaand@example.org", name="Gast")
    login(guest)
    page = client.get(link)
    assert "Carla Coördinator nodigt je uit voor deze leerkring." in page.text
    response = client.post(f"{link}/accept")
    assert response.headers["Location"] == f"/circles/{circle.id}"
    assert "Welkom! Je doet nu mee met Besloten kring." in client.get(
        response.headers["Location"]).text
    assert membership(circle, guest) is not None
    db.session.refresh(invitation)
    assert invitation.accepted_at is not None and invitation.accepted_by_id == guest.id

    again = client.get(link)
    assert "Je doet al mee met deze leerkring." in again.text


def test_the_mail_is_in_the_inviters_language(client, login, circle, mailbox):
    login(coordinator(circle))
    client.post(f"/circles/{circle.id}/invite", data={"emails": "guest@example.org"},
                headers=ENGLISH)
    [message] = mailbox.to("guest@example.org")
    assert message["Subject"] == "Invitation to the circle Besloten kring"
    assert "Carla Coördinator invites you to join the learning circle" in Mailbox.text(message)


def test_someone_without_an_account_is_sent_to_log_in_or_register(client, circle):
    _invitation, token = f.make_invitation(circle, "nieuw@example.org",
                                           invited_by=coordinator(circle))
    page = client.get(f"/circles/invitations/{token}")
    assert page.status_code == 200
    assert "Besloten kring" in page.text
    path = f"/circles/invitations/{token}"
    assert f'href="/account/login?next={path}"' in page.text
    assert f'href="/account/register?email=nieuw@example.org&amp;next={path}"' in page.text


def test_an_invitation_makes_you_a_member_within_the_maximum(client, login, circle):
    circle.max_members = 1
    db.session.commit()
    _invitation, token = f.make_invitation(circle, "gast@example.org")
    user = f.make_user()
    login(user)
    assert "Deze leerkring is vol" in client.get(f"/circles/invitations/{token}").text
    response = client.post(f"/circles/invitations/{token}/accept", follow_redirects=True)
    assert "Deze leerkring is vol" in response.text
    assert membership(circle, user) is None


@pytest.mark.parametrize("state", [
    {"expires_at": datetime.now(UTC) - timedelta(minutes=1)},
    {"accepted_at": datetime.now(UTC)},
])
def test_expired_or_used_invitations_say_so(client, login, circle, state):
    _invitation, token = f.make_invitation(circle, "gast@example.org", **state)
    user = f.make_user()
    login(user)
    page = client.get(f"/circles/invitations/{token}")
    assert "Deze uitnodiging is verlopen of al gebruikt." in page.text
    response = client.post(f"/circles/invitations/{token}/accept", follow_redirects=True)
    assert "Deze uitnodiging is verlopen of al gebruikt." in response.text
    assert membership(circle, user) is None


def test_an_unknown_token_is_404(client, login):
    assert client.get("/circles/invitations/no-such-token").status_code == 404
    login(f.make_user())
    assert client.post("/circles/invitations/no-such-token/accept").status_code == 404


def test_accepting_needs_a_login(client, circle):
    _invitation, token = f.make_invitation(circle, "gast@example.org")
    response = client.post(f"/circles/invitations/{token}/accept")
    assert response.headers["Location"].startswith("/account/login")


def test_accept_an_invitation_to_your_own_address_from_the_dashboard(client, login, circle):
    user = f.make_user(email="gast@example.org")
    f.make_invitation(circle, "gast@example.org", invited_by=coordinator(circle))
    login(user)
    dashboard = client.get("/").text
    assert "Uitnodigingen voor jou" in dashboard and "Besloten kring" in dashboard
    response = client.post(f"/circles/{circle.id}/invitation/accept")
    assert response.headers["Location"] == f"/circles/{circle.id}"
    assert membership(circle, user) is not None


def test_no_invitation_no_entry(client, login, circle):
    login(f.make_user())
    assert client.post(f"/circles/{circle.id}/invitation/accept").status_code == 404


@pytest.mark.parametrize("emails, message", [
    ("", "Vul minstens één e-mailadres in."),
    ("goed@example.org, niet-goed", "Dit zijn geen e-mailadressen: niet-goed"),
])
def test_errors_are_shown_next_to_the_field_and_input_kept(client, login, circle, mailbox,
                                                           emails, message):
    login(coordinator(circle))
    response = client.post(f"/circles/{circle.id}/invite", data={"emails": emails})
    assert response.status_code == 422
    assert field_error(response, "emails") == message
    assert f"{emails}</textarea>" in response.text
    assert mailbox.messages == []
    assert db.session.execute(db.select(Invitation)).first() is None


def test_members_are_not_invited_again(client, login, circle, mailbox):
    member = f.add_member(circle, f.make_user(email="lid@example.org")).user
    login(coordinator(circle))
    response = client.post(f"/circles/{circle.id}/invite", data={"emails": member.email},
                           follow_redirects=True)
    assert "Iedereen die je invulde, doet al mee." in response.text
    assert mailbox.messages == []


def test_a_new_person_registers_through_the_invitation_and_joins(client, circle, mailbox):
    """Invitation link → create account → confirm by mail → log in → back at the invitation."""
    _invitation, token = f.make_invitation(circle, "sanne@example.org")
    invitation_path = f"/circles/invitations/{token}"
    page = client.get(invitation_path).text
    register_url = re.search(r'href="(/account/register\?[^"]+)"', page)[1].replace("&amp;", "&")
    assert "email=sanne@example.org" in register_url

    client.post(register_url, data=registration(email="sanne@example.org", next=invitation_path))
    verify = account_link(mailbox.to("sanne@example.org")[0], "/account/verify/")
    response = client.get(verify.removeprefix("http://leerkring.test"))
    login_url = response.headers["Location"]
    assert invitation_path in login_url.replace("%2F", "/")
    response = client.post(login_url, data={"email": "sanne@example.org",
                                            "password": registration()["password"]})
    assert response.headers["Location"] == invitation_path

    client.post(f"{invitation_path}/accept")
    sanne = db.session.execute(db.select(User).filter_by(email="sanne@example.org")).scalar_one()
    assert membership(circle, sanne) is not None
