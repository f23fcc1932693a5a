"""A world with known impact figures, built by hand: circles in Twente, Zuyd and nationally on
the themes Armoede and Impact, their meetings and who was present, cases, reflections, kitchen
visits and library items, each with rows that must not count beside those that must."""

from datetime import UTC, datetime, timedelta

from leerkring.extensions import db
from leerkring.library.models import ItemKind, ItemPlacement, ItemStatus, LibraryItem
from leerkring.meetings.models import Attendance, CheckInMethod, MeetingStatus
from leerkring.notes.models import CaseStatus
from leerkring.visits.models import VisitSignup, VisitStatus
from tests import factories as f

ENGLISH = {"Accept-Language": "en"}
DUTCH = {"Accept-Language": "nl"}


def days_ago(days: float) -> datetime:
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0)


def meeting(circle, days: float, minutes: int, **kw):
    start = days_ago(days)
    return f.make_meeting(circle, starts_at=start, ends_at=start + timedelta(minutes=minutes),
                          **kw)


def present(meeting, *users, is_present=True):
    for user in users:
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, is_present=is_present,
                                  method=CheckInMethod.COORDINATOR))
    db.session.commit()


def sign_up(visit, *users, has_place=True):
    for user in users:
        db.session.add(VisitSignup(
            visit_id=visit.id, user_id=user.id, has_place=has_place,
            waitlisted_at=None if has_place else datetime.now(UTC),
        ))
    db.session.commit()


def library_item(days: float | None, werkplaatsen=(), themes=(), status=ItemStatus.PUBLISHED):
    item = LibraryItem(
        title=f"Methode {days}", kind=ItemKind.METHOD, status=status,
        published_at=days_ago(days) if status == ItemStatus.PUBLISHED else None,
        werkplaatsen=list(werkplaatsen), themes=list(themes),
    )
    db.session.add(item)
    db.session.commit()
    return item


def place(item, circle, days: float, meeting=None):
    db.session.add(ItemPlacement(item_id=item.id, circle_id=circle.id, placed_at=days_ago(days),
                                 meeting_id=meeting.id if meeting else None))
    db.session.commit()


def people(count: int, werkplaats: str = "twente"):
    return [f.make_user(home_werkplaats=f.werkplaats(werkplaats)) for _ in range(count)]


def build() -> dict:
    """The world; returns the people a test signs in as and the circles."""
    twente, zuyd = f.werkplaats("twente"), f.werkplaats("zuyd")
    armoede, impact = f.theme("armoede"), f.theme("impact")
    coordinator = f.make_user(name="Coördinator Twente")
    p = people(7)
    q = people(2)
    r = people(4, "zuyd")

    a = f.make_circle(coordinator, members=p, werkplaats=twente, theme=armoede, name="Kring A")
    b = f.make_circle(werkplaats=twente, theme=impact, name="Kring B")
    c = f.make_circle(werkplaats=zuyd, theme=armoede, name="Kring C")
    d = f.make_circle(werkplaats=None, theme=None, name="Kring D")
    e = f.make_circle(werkplaats=zuyd, theme=None, name="Kring E")

    # Meetings held: A 90 and 120 minutes, B 60, C 60, D 30. Not held: cancelled, to come, old.
    a1 = meeting(a, 30, 90)
    present(a1, *p[:6])
    present(a1, p[6], is_present=False)
    a2 = meeting(a, 60, 120)
    present(a2, p[0], p[1], p[6])
    a3 = meeting(a, 20, 60, status=MeetingStatus.CANCELLED)
    present(a3, *p)
    present(meeting(a, -1, 60), *p)
    present(meeting(b, 10, 60), *q)
    c1 = meeting(c, 100, 60)
    present(c1, p[0], *r)
    meeting(d, 5, 30)
    present(meeting(e, 400, 60), *r[:3])

    # Cases: discussed in A (shared in the period; on a held meeting's agenda), closed in C;
    # a draft, a case on a cancelled meeting and an old one do not count.
    f.make_case(a, p[0], shared_at=days_ago(30))
    f.make_case(a, p[1], shared_at=days_ago(500), meeting_id=a1.id)
    f.make_case(c, r[0], shared_at=days_ago(400), status=CaseStatus.CLOSED,
                closed_at=days_ago(10))
    f.make_case(b, q[0], status=CaseStatus.DRAFT, meeting_id=a1.id)
    f.make_case(a, p[2], shared_at=days_ago(400), meeting_id=a3.id)
    f.make_case(a, p[3], shared_at=days_ago(450))

    # Reflections: in A and B (Twente), in C (Zuyd); an old one and one without a circle do not.
    f.make_reflection(p[0], circle_id=a.id, created_at=days_ago(10))
    f.make_reflection(q[0], circle_id=b.id, created_at=days_ago(20))
    f.make_reflection(r[0], circle_id=c.id, created_at=days_ago(50))
    f.make_reflection(p[0], circle_id=a.id, created_at=days_ago(400))
    f.make_reflection(p[1], created_at=days_ago(5))

    # Kitchen visits: two in Twente, two in Zuyd (one without visitors); a cancelled, an old
    # and a waitlisted sign-up do not count.
    twente_host = f.make_user(home_werkplaats=twente)
    zuyd_host = f.make_user(home_werkplaats=zuyd)
    v = people(3, "friesland") + people(3, "noord")
    n = f.make_user(home_werkplaats=twente)
    v1 = f.make_visit(twente_host, starts_at=days_ago(30), themes=[armoede, impact])
    sign_up(v1, *v)
    sign_up(v1, f.make_user(home_werkplaats=twente), has_place=False)
    sign_up(f.make_visit(twente_host, starts_at=days_ago(100), themes=[armoede]), v[0], v[1])
    sign_up(f.make_visit(zuyd_host, starts_at=days_ago(50), themes=[impact]), v[0], n)
    sign_up(f.make_visit(twente_host, starts_at=days_ago(10), status=VisitStatus.CANCELLED,
                         themes=[armoede]), *v)
    sign_up(f.make_visit(zuyd_host, starts_at=days_ago(400), themes=[impact]), *v)
    f.make_visit(zuyd_host, starts_at=days_ago(20))

    # Library: one item of Twente and Zuyd on Armoede, one national; an old and a submitted one
    # do not count. Brought into A, C and D in the period; once long ago.
    both = library_item(20, werkplaatsen=[twente, zuyd], themes=[armoede])
    national = library_item(40)
    old = library_item(500, werkplaatsen=[twente])
    library_item(None, werkplaatsen=[twente], status=ItemStatus.SUBMITTED)
    place(both, c, 10, meeting=c1)
    place(both, a, 5)
    place(national, a, 400)
    place(old, d, 15)

    return {"coordinator": coordinator, "member": p[0], "circles": [a, b, c, d, e]}
