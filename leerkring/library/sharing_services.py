"""The lemniscate both ways. Local to national: a closed case's lesson or a visit report becomes a
draft library item, with its author's consent. National to local: a published item goes on the
agenda of a coming meeting of a circle its bringer coordinates. Services never commit."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from leerkring import places
from leerkring.circles.models import Circle, CircleRole, Membership
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.library.models import ItemKind, ItemPlacement, ItemStatus, LibraryItem
from leerkring.meetings import queries as meeting_queries
from leerkring.meetings.models import Meeting
from leerkring.werkplaatsen.models import Theme, Werkplaats, WerkplaatsKind

#: How long the prefilled summary may be, in characters.
SUMMARY_LENGTH = 300
#: How many coming meetings of each circle the "bring into a circle" choice offers.
COMING_MEETINGS = 8


# Sharing ----------------------------------------------------------------------------------------


def shared_item(*, case_id: int | None = None, report_id: int | None = None):
    """The library item made from this case or visit report, if any (the first one)."""
    column, value = (
        (LibraryItem.case_id, case_id) if case_id is not None
        else (LibraryItem.visit_report_id, report_id)
    )
    return db.session.execute(
        sa.select(LibraryItem).where(column == value).order_by(LibraryItem.id).limit(1)
    ).scalar()


def shorten(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The first paragraph of ``text``, cut at a word within ``length`` characters."""
    first = text.strip().split("\n\n", 1)[0].replace("\n", " ").strip()
    if len(first) <= length:
        return first
    cut = first[:length].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "…"


def regional(werkplaats: Werkplaats | None) -> Werkplaats | None:
    """A Werkplaats an item can belong to: a regional one (the association means national)."""
    if werkplaats is None or werkplaats.kind != WerkplaatsKind.WERKPLAATS:
        return None
    return werkplaats


def case_draft(case) -> dict:
    """What the share form starts from for a closed case: its title, its lesson, the circle's
    theme and Werkplaats, and the circle as co-author."""
    circle = case.circle
    werkplaats = regional(circle.werkplaats)
    return {
        "title": case.title,
        "summary": shorten(case.lesson),
        "body": case.lesson.strip(),
        "other_authors": circle.name,
        "themes": [circle.theme_id] if circle.theme_id else [],
        "werkplaats": str(werkplaats.id) if werkplaats else "",
    }


def report_body(report) -> str:
    """The report's parts as Markdown sections, headed in the user's language."""
    parts = [
        (_("What I saw"), report.saw),
        (_("What surprised me"), report.surprised),
        (_("What I take home"), report.take_home),
    ]
    return "\n\n".join(f"## {heading}\n\n{text.strip()}" for heading, text in parts
                       if text.strip())


def report_draft(report, author) -> dict:
    """What the share form starts from for a visit report: the visit's title and themes, the
    report's parts, the author's home Werkplaats."""
    werkplaats = regional(author.home_werkplaats)
    return {
        "title": _("Kitchen visit: %(title)s", title=report.visit.title)[:200],
        "summary": shorten(report.take_home or report.saw),
        "body": report_body(report),
        "other_authors": "",
        "themes": [theme.id for theme in report.visit.themes],
        "werkplaats": str(werkplaats.id) if werkplaats else "",
    }


def create_draft(
    user, *, kind: ItemKind, title: str, summary: str, body: str, other_authors: str,
    themes: list[Theme], werkplaats: Werkplaats | None, case_id=None, visit_report_id=None,
) -> LibraryItem:
    """A draft item of ``user`` (its creator and first author), flushed so it has its id."""
    item = LibraryItem(
        kind=kind, status=ItemStatus.DRAFT, title=title, summary=summary, body=body,
        other_authors=other_authors, year=utcnow().year, created_by_id=user.id,
        case_id=case_id, visit_report_id=visit_report_id,
    )
    item.authors = [user]
    item.themes = list(themes)
    item.werkplaatsen = [werkplaats] if werkplaats is not None else []
    db.session.add(item)
    db.session.flush()
    return item


def share_case(case, user, **fields) -> LibraryItem:
    return create_draft(user, kind=ItemKind.LESSON, case_id=case.id, **fields)


def share_report(report, user, **fields) -> LibraryItem:
    """The draft item; sharing it is the author's consent to the library, so the report
    counts as offered from now on."""
    item = create_draft(user, kind=ItemKind.VISIT_REPORT, visit_report_id=report.id, **fields)
    report.is_offered_to_library = True
    if report.library_consent_at is None:
        report.library_consent_at = utcnow()
    return item


def share_choices() -> tuple[list[Theme], list[Werkplaats]]:
    """The themes and the regional Werkplaatsen an item may be given, by name."""
    themes = db.session.execute(sa.select(Theme).order_by(Theme.name)).scalars()
    werkplaatsen = db.session.execute(
        sa.select(Werkplaats)
        .where(Werkplaats.kind == WerkplaatsKind.WERKPLAATS)
        .order_by(Werkplaats.name)
    ).scalars()
    return list(themes), list(werkplaatsen)


# Bringing into a circle -------------------------------------------------------------------------


def coming_meetings_to_bring(user, now: datetime | None = None) -> dict[Circle, list[Meeting]]:
    """For each open circle ``user`` coordinates, by name, its next few meetings that are not
    cancelled, soonest first; circles without one are left out. Two queries."""
    now = now or places.now()
    circles = list(db.session.execute(
        sa.select(Circle)
        .join(Membership, Membership.circle_id == Circle.id)
        .where(
            Membership.user_id == user.id,
            Membership.role == CircleRole.COORDINATOR,
            Circle.archived_at.is_(None),
        )
        .order_by(Circle.name, Circle.id)
    ).scalars())
    if not circles:
        return {}
    found = meeting_queries.coming_meetings([circle.id for circle in circles], COMING_MEETINGS,
                                            now)
    return {circle: found[circle.id] for circle in circles if found[circle.id]}


def placement_on(item, meeting) -> ItemPlacement | None:
    return db.session.execute(
        sa.select(ItemPlacement).where(
            ItemPlacement.item_id == item.id, ItemPlacement.meeting_id == meeting.id
        )
    ).scalar()


def bring(item, meeting, user) -> ItemPlacement:
    """Put ``item`` on ``meeting``'s agenda (the caller checked it is not there yet)."""
    placement = ItemPlacement(
        item_id=item.id, circle_id=meeting.circle_id, meeting_id=meeting.id, placed_by_id=user.id,
    )
    db.session.add(placement)
    db.session.flush()
    return placement


def take_off(placement) -> None:
    db.session.delete(placement)


def visible_items(user):
    """SQL condition for the items on an agenda that ``user`` may open: published ones (and
    without signing in, only the public ones)."""
    published = LibraryItem.status == ItemStatus.PUBLISHED
    if user.is_authenticated:
        return published
    return sa.and_(published, LibraryItem.is_public)


def meeting_placements(meeting, user) -> list[ItemPlacement]:
    """The library items on ``meeting``'s agenda that ``user`` may open, in the order they were
    brought, each with its item. One query."""
    return list(db.session.execute(
        sa.select(ItemPlacement)
        .join(LibraryItem, LibraryItem.id == ItemPlacement.item_id)
        .where(ItemPlacement.meeting_id == meeting.id, visible_items(user))
        .options(joinedload(ItemPlacement.item))
        .order_by(ItemPlacement.placed_at, ItemPlacement.id)
    ).scalars())


def placements_count(item_ids) -> dict[int, int]:
    """For each of ``item_ids``, how many circles it was brought into (0 when none). One grouped
    query."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(ItemPlacement.item_id, sa.func.count(sa.distinct(ItemPlacement.circle_id)))
        .where(ItemPlacement.item_id.in_(ids))
        .group_by(ItemPlacement.item_id)
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({item_id: number for item_id, number in rows})
    return counts
