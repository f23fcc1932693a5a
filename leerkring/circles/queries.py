"""Read-only selects for the circle pages and the dashboard: each one query, whatever the size."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from leerkring import invitations
from leerkring.accounts.models import User
from leerkring.circles.models import (
    Circle,
    CircleRole,
    Invitation,
    JoinRequest,
    Membership,
    RequestStatus,
)
from leerkring.extensions import db
from leerkring.permissions import visible_circles
from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind


def werkplaatsen() -> list[Werkplaats]:
    """The regional Werkplaatsen a circle can belong to (national circles have none)."""
    return list(
        db.session.execute(
            sa.select(Werkplaats)
            .where(Werkplaats.kind == WerkplaatsKind.WERKPLAATS)
            .order_by(Werkplaats.name)
        ).scalars()
    )


def themes() -> list[Theme]:
    return list(db.session.execute(sa.select(Theme).order_by(Theme.name)).scalars())


def load_circle(circle_id: int):
    """The circle with its Werkplaats and theme, or 404."""
    return db.first_or_404(
        sa.select(Circle)
        .where(Circle.id == circle_id)
        .options(joinedload(Circle.werkplaats), joinedload(Circle.theme))
    )


def membership_of(user, circle: Circle) -> Membership | None:
    if not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(Membership).where(
            Membership.circle_id == circle.id, Membership.user_id == user.id
        )
    ).scalar()


def _contains(column, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def circle_list(
    user, *, text="", theme="", werkplaats="", has_room=False, mine=False
) -> sa.Select:
    """Circles ``user`` may find, filtered; ``theme`` and ``werkplaats`` are slugs, or
    ``werkplaats="national"`` for circles without one."""
    query = (
        sa.select(Circle)
        .where(visible_circles(user))
        .options(joinedload(Circle.werkplaats), joinedload(Circle.theme))
        .order_by(Circle.name, Circle.id)
    )
    if text:
        query = query.where(
            sa.or_(_contains(Circle.name, text), _contains(Circle.description, text))
        )
    if theme:
        query = query.where(Circle.theme.has(Theme.slug == theme))
    if werkplaats == "national":
        query = query.where(Circle.werkplaats_id.is_(None))
    elif werkplaats:
        query = query.where(Circle.werkplaats.has(Werkplaats.slug == werkplaats))
    if has_room:
        query = query.where(
            sa.or_(Circle.max_members.is_(None), Circle.member_count < Circle.max_members)
        )
    if mine:
        query = query.where(
            sa.exists().where(Membership.circle_id == Circle.id, Membership.user_id == user.id)
        )
    return query


def roles_in(user, circle_ids) -> dict[int, CircleRole]:
    """The user's role in each of ``circle_ids`` where they are a member."""
    if not circle_ids:
        return {}
    rows = db.session.execute(
        sa.select(Membership.circle_id, Membership.role).where(
            Membership.user_id == user.id, Membership.circle_id.in_(circle_ids)
        )
    )
    return {key: value for key, value in rows}


def coordinators(circle: Circle) -> list[Membership]:
    return list(
        db.session.execute(
            sa.select(Membership)
            .join(Membership.user)
            .where(Membership.circle_id == circle.id, Membership.role == CircleRole.COORDINATOR)
            .options(joinedload(Membership.user))
            .order_by(User.name, Membership.id)
        ).scalars()
    )


def members(circle: Circle) -> sa.Select:
    """Everyone in the circle, coordinators first, then by name."""
    return (
        sa.select(Membership)
        .join(Membership.user)
        .where(Membership.circle_id == circle.id)
        .options(joinedload(Membership.user))
        .order_by(
            sa.case((Membership.role == CircleRole.COORDINATOR, 0), else_=1),
            User.name,
            Membership.id,
        )
    )


def pending_requests(circle: Circle) -> sa.Select:
    return (
        sa.select(JoinRequest)
        .where(JoinRequest.circle_id == circle.id, JoinRequest.status == RequestStatus.PENDING)
        .options(joinedload(JoinRequest.user))
        .order_by(JoinRequest.created_at, JoinRequest.id)
    )


def open_invitations(circle: Circle) -> sa.Select:
    return (
        sa.select(Invitation)
        .where(
            Invitation.circle_id == circle.id,
            invitations.still_open(Invitation),
        )
        .options(joinedload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )


# The dashboard --------------------------------------------------------------------------------


def my_memberships(user) -> sa.Select:
    """The user's circles: active ones first, then archived, each by name."""
    return (
        sa.select(Membership)
        .join(Membership.circle)
        .where(Membership.user_id == user.id)
        .options(
            joinedload(Membership.circle).joinedload(Circle.werkplaats),
            joinedload(Membership.circle).joinedload(Circle.theme),
        )
        .order_by(Circle.archived_at.is_not(None), Circle.name, Circle.id)
    )


def open_circles_of(user) -> list[Circle]:
    """The circles ``user`` is a member of that are not archived, by name: where they may share a
    reflection or bring a visit report."""
    return list(db.session.execute(
        sa.select(Circle)
        .join(Membership, Membership.circle_id == Circle.id)
        .where(Membership.user_id == user.id, Circle.archived_at.is_(None))
        .order_by(Circle.name, Circle.id)
    ).scalars())


def pending_counts(circle_ids) -> dict[int, int]:
    if not circle_ids:
        return {}
    rows = db.session.execute(
        sa.select(JoinRequest.circle_id, sa.func.count())
        .where(JoinRequest.circle_id.in_(circle_ids), JoinRequest.status == RequestStatus.PENDING)
        .group_by(JoinRequest.circle_id)
    )
    return {key: value for key, value in rows}


def requests_to_decide(user) -> sa.Select:
    """Pending requests for the active circles ``user`` coordinates, oldest first."""
    coordinated = sa.select(Membership.circle_id).where(
        Membership.user_id == user.id, Membership.role == CircleRole.COORDINATOR
    )
    return (
        sa.select(JoinRequest)
        .join(JoinRequest.circle)
        .where(
            JoinRequest.circle_id.in_(coordinated),
            JoinRequest.status == RequestStatus.PENDING,
            Circle.archived_at.is_(None),
        )
        .options(joinedload(JoinRequest.user), joinedload(JoinRequest.circle))
        .order_by(JoinRequest.created_at, JoinRequest.id)
    )


def my_pending_requests(user) -> sa.Select:
    return (
        sa.select(JoinRequest)
        .join(JoinRequest.circle)
        .where(
            JoinRequest.user_id == user.id,
            JoinRequest.status == RequestStatus.PENDING,
            Circle.archived_at.is_(None),
        )
        .options(joinedload(JoinRequest.circle))
        .order_by(JoinRequest.created_at.desc(), JoinRequest.id.desc())
    )


def my_open_invitations(user) -> sa.Select:
    """Unused, unexpired invitations to the user's verified address, for circles they are not in."""
    member = sa.exists().where(
        Membership.circle_id == Invitation.circle_id, Membership.user_id == user.id
    )
    return (
        sa.select(Invitation)
        .join(Invitation.circle)
        .where(
            Invitation.email == user.email.lower(),
            invitations.still_open(Invitation),
            Circle.archived_at.is_(None),
            ~member,
            sa.true() if user.is_verified else sa.false(),
        )
        .options(joinedload(Invitation.circle), joinedload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
