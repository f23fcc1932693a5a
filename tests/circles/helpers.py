"""Small helpers shared by the circle, dashboard and notice tests."""

import re
from datetime import UTC, datetime
from itertools import count

from leerkring.extensions import db
from leerkring.models import Circle, Membership, User
from tests import factories as f

_bulk = count(1)

HTMX = {"HX-Request": "true"}
ENGLISH = {"Accept-Language": "en"}


def is_page(response) -> bool:
    return "<html" in response.text


def membership(circle, user) -> Membership | None:
    return db.session.execute(
        db.select(Membership).filter_by(circle_id=circle.id, user_id=user.id)
    ).scalar()


def field_error(response, field_id: str) -> str:
    """The error text shown next to the field ``field_id`` ("" when there is none)."""
    found = re.search(rf'id="{field_id}-error" class="field-error">([^<]*)<', response.text)
    return found.group(1) if found else ""


def bulk_circles(count: int, user: User, members: list[User]) -> None:
    """``count`` circles of every kind; ``user`` is in some of them; one circle has many members."""
    werkplaatsen = [f.werkplaats(slug) for slug in ("twente", "zuyd", "noord")]
    themes = [f.theme(slug) for slug in ("armoede", "impact")] + [None]
    circles = [
        Circle(
            name=f"Bulk {n}",
            werkplaats=werkplaatsen[n % 3] if n % 4 else None,
            theme=themes[n % 3],
            visibility="members" if n % 5 == 0 else "signed_in",
            max_members=(10 if n % 2 else None),
            member_count=0,
        )
        for n in range(count)
    ]
    db.session.add_all(circles)
    db.session.flush()
    for n, circle in enumerate(circles):
        if n % 2 == 0:
            db.session.add(Membership(circle=circle, user=user, role="member",
                                      joined_at=datetime.now(UTC)))
            circle.member_count += 1
    for member in members:
        db.session.add(Membership(circle=circles[0], user=member, joined_at=datetime.now(UTC)))
    circles[0].member_count += len(members)
    db.session.commit()


def many_users(count: int) -> list[User]:
    users = [
        User(email=f"bulk{n}@example.org", name=f"Deelnemer {n}", field_role="professional",
             password_hash="x")
        for n in (next(_bulk) for _ in range(count))
    ]
    db.session.add_all(users)
    db.session.commit()
    return users
