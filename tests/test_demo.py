"""Demo data: fictional, idempotent, skipped when people exist, and good for signing in."""

import sqlalchemy as sa
from argon2 import PasswordHasher

from leerkring import demo
from leerkring.circles.models import JoinMode, RequestStatus, Visibility
from leerkring.extensions import db
from leerkring.models import Circle, CircleRole, JoinRequest, Membership, User, werkplaats_admins
from tests.factories import make_user, werkplaats

DEMO_ACCOUNTS = [
    "admin@example.org",
    "coordinator@example.org",
    "professional@example.org",
    "lecturer@example.org",
    "student@example.org",
    "policymaker@example.org",
]


def counts() -> dict[str, int]:
    tables = {
        "users": User.__table__,
        "circles": Circle.__table__,
        "memberships": Membership.__table__,
        "join_requests": JoinRequest.__table__,
        "werkplaats_admins": werkplaats_admins,
    }
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for name, table in tables.items()
    }


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).filter_by(email=email))


def test_demo_data_loads_once_and_a_second_run_changes_nothing(app):
    first = demo.load()
    loaded = counts()
    second = demo.load()

    assert counts() == loaded
    assert first.startswith("Demo data loaded: 19 people, 13 circles")
    assert second == "Demo data is already present; nothing changed."
    assert loaded["users"] == 19
    assert loaded["circles"] == 13
    assert loaded["join_requests"] == 4
    assert loaded["werkplaats_admins"] == 1


def test_demo_accounts_are_verified_with_the_demo_password(app):
    demo.load()
    hasher = PasswordHasher()
    for email in DEMO_ACCOUNTS:
        account = user(email)
        assert account.is_verified
        assert hasher.verify(account.password_hash, "leerkring-demo")
    assert user("admin@example.org").is_admin
    assert not user("coordinator@example.org").is_admin
    assert user("coordinator@example.org") in werkplaats("twente").admins
    homes = set(db.session.scalars(sa.select(User.home_werkplaats_id).distinct()))
    assert len(homes) >= 6


def test_demo_circles_vary_in_place_theme_join_mode_and_state(app):
    demo.load()
    circles = db.session.scalars(sa.select(Circle)).all()

    assert {c.join_mode for c in circles} == set(JoinMode)
    assert len({c.werkplaats_id for c in circles if c.werkplaats_id}) >= 6
    assert len({c.theme_id for c in circles if c.theme_id}) >= 6
    assert [c.name for c in circles if c.werkplaats_id is None] == ["Impact zichtbaar maken"]
    assert [c.name for c in circles if c.visibility == Visibility.MEMBERS] == [
        "Casuïstiek ouderen thuis"
    ]
    assert [c.name for c in circles if c.is_full] == ["Polarisatie en vertrouwen in de buurt"]
    assert [c.name for c in circles if c.is_archived] == ["Verkenning gebiedsteams 2022"]
    for circle in circles:
        memberships = circle.memberships
        assert circle.member_count == len(memberships)
        assert any(m.role == CircleRole.COORDINATOR for m in memberships)


def test_the_demo_coordinator_has_requests_waiting(app):
    demo.load()
    coordinated = sa.select(Membership.circle_id).where(
        Membership.user_id == user("coordinator@example.org").id,
        Membership.role == CircleRole.COORDINATOR,
    )
    waiting = db.session.scalars(
        sa.select(JoinRequest).where(
            JoinRequest.circle_id.in_(coordinated), JoinRequest.status == RequestStatus.PENDING
        )
    ).all()
    assert len(waiting) == 2
    assert all(r.circle.join_mode == JoinMode.ON_REQUEST for r in waiting)


def test_a_second_run_leaves_what_people_changed(app):
    demo.load()
    student = user("student@example.org")
    student.name = "Lotte (aangepast)"
    db.session.delete(
        db.session.scalar(sa.select(Membership).filter_by(user_id=student.id).limit(1))
    )
    db.session.commit()
    changed = counts()

    demo.load()

    assert counts() == changed
    assert user("student@example.org").name == "Lotte (aangepast)"


def test_if_empty_skips_a_database_that_has_people(app):
    make_user()
    message = demo.load(if_empty=True)
    assert message == "The database already has users; demo data not loaded."
    assert counts()["users"] == 1
    assert counts()["circles"] == 0


def test_if_empty_loads_into_an_empty_database(app):
    assert demo.load(if_empty=True).startswith("Demo data loaded")
    assert counts()["users"] == 19


def test_the_demo_command_says_what_it_did(app):
    runner = app.test_cli_runner()
    assert "Demo data loaded" in runner.invoke(args=["demo"]).output
    assert "nothing changed" in runner.invoke(args=["demo"]).output
    assert "not loaded" in runner.invoke(args=["demo", "--if-empty"]).output


def test_the_demo_coordinator_logs_in_and_sees_the_demo_data(client, login):
    demo.load()
    login(user("coordinator@example.org"), password="leerkring-demo")

    page = client.get("/werkplaatsen/twente")

    assert "Armoede in de wijk" in page.text
    assert "Casuïstiek ouderen thuis" in page.text  # members only: seen as its coordinator
    assert "Sanne Kuipers" in page.text  # as the Werkplaats admin
    assert "Beschrijving bewerken" in page.text
