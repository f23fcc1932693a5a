"""Plain functions that make rows for a test, committed, with sensible defaults."""

from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import count

from leerkring.circles import services
from leerkring.circles.models import Invitation, JoinRequest
from leerkring.extensions import db
from leerkring.invitations import hash_token
from leerkring.models import Circle, CircleRole, FieldRole, Membership, Theme, User, Werkplaats

PASSWORD = "correct horse battery"
_sequence = count(1)


@cache
def _password_hash() -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(PASSWORD)


def werkplaats(slug: str = "twente") -> Werkplaats:
    return db.session.execute(db.select(Werkplaats).filter_by(slug=slug)).scalar_one()


def theme(slug: str = "armoede") -> Theme:
    return db.session.execute(db.select(Theme).filter_by(slug=slug)).scalar_one()


def make_user(**kw) -> User:
    n = next(_sequence)
    kw.setdefault("email", f"user{n}@example.org")
    kw.setdefault("name", f"Gebruiker {n}")
    kw.setdefault("field_role", FieldRole.PROFESSIONAL)
    kw.setdefault("email_verified_at", datetime.now(UTC))
    if "home_werkplaats" not in kw and "home_werkplaats_id" not in kw:
        kw["home_werkplaats"] = werkplaats()
    kw.setdefault("password_hash", _password_hash())
    user = User(**kw)
    db.session.add(user)
    db.session.commit()
    return user


def make_admin(**kw) -> User:
    return make_user(is_admin=True, **kw)


def make_werkplaats_admin(slug: str = "twente", **kw) -> User:
    user = make_user(**kw)
    place = werkplaats(slug)  # held, so the session does not drop it before the flush
    place.admins.append(user)
    db.session.commit()
    return user


def make_circle(coordinator: User | None = None, members=(), **kw) -> Circle:
    n = next(_sequence)
    kw.setdefault("name", f"Leerkring {n}")
    kw.setdefault("description", "Wij leren samen van de praktijk.")
    if "werkplaats" not in kw and "werkplaats_id" not in kw:
        kw["werkplaats"] = werkplaats()
    circle = Circle(**kw)
    db.session.add(circle)
    db.session.flush()
    if coordinator is not None:
        add_member(circle, coordinator, role=CircleRole.COORDINATOR, commit=False)
    for member in members:
        add_member(circle, member, commit=False)
    db.session.commit()
    return circle


def add_member(circle: Circle, user: User, role=CircleRole.MEMBER, commit=True) -> Membership:
    membership = services.add_member(circle, user, role)
    if commit:
        db.session.commit()
    return membership


def make_join_request(circle: Circle, user: User, message: str = "", **kw) -> JoinRequest:
    join_request = JoinRequest(circle=circle, user=user, message=message, **kw)
    db.session.add(join_request)
    db.session.commit()
    return join_request


def make_invitation(circle: Circle, email: str, invited_by: User | None = None, **kw):
    """An invitation and its token (only the token's hash is stored)."""
    token = kw.pop("token", None) or f"token-{next(_sequence)}-{circle.id}"
    kw.setdefault("expires_at", datetime.now(UTC) + timedelta(days=14))
    invitation = Invitation(
        circle=circle, email=email, token_hash=hash_token(token), invited_by=invited_by, **kw
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def make_meeting(circle: Circle, **kw):
    """A meeting of ``circle``, by default tomorrow 19:30–21:00 UTC, committed."""
    from leerkring.meetings.models import Meeting

    start = kw.pop("starts_at", None) or (datetime.now(UTC) + timedelta(days=1)).replace(
        hour=19, minute=30, second=0, microsecond=0
    )
    kw.setdefault("ends_at", start + timedelta(minutes=90))
    kw.setdefault("title", f"Bijeenkomst {next(_sequence)}")
    kw.setdefault("timezone", circle.timezone or "Europe/Amsterdam")
    meeting = Meeting(circle=circle, starts_at=start, **kw)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def make_case(circle: Circle, author: User, **kw):
    """A case in ``circle`` by ``author``, shared with the circle unless ``status`` says otherwise,
    with its retention computed as the services would, committed."""
    from leerkring.notes import retention
    from leerkring.notes.models import CaseNote, CaseStatus

    kw.setdefault("title", f"Casus {next(_sequence)}")
    kw.setdefault("question", "Hoe houd ik contact met een bewoner die de deur niet opendoet?")
    kw.setdefault("situation", "Mevrouw A. (78) woont alleen en zegt afspraken vaak af.")
    kw.setdefault("status", CaseStatus.SHARED)
    case = CaseNote(circle=circle, author=author, **kw)
    if case.status != CaseStatus.DRAFT and case.shared_at is None:
        case.shared_at = datetime.now(UTC)
    retention.touch(case, kw.get("last_activity_at"))
    db.session.add(case)
    db.session.commit()
    return case


def make_comment(case, author: User, body: str = "Herkenbaar. Wat zegt haar dochter?", **kw):
    from leerkring.notes.models import CaseComment

    comment = CaseComment(case=case, author=author, body=body, **kw)
    db.session.add(comment)
    db.session.commit()
    return comment


def make_reflection(author: User, **kw):
    """A free reflection by ``author``, only for themselves unless ``sharing`` says otherwise."""
    from leerkring.notes.models import Reflection, ReflectionTemplate

    kw.setdefault("template", ReflectionTemplate.FREE)
    kw.setdefault("title", f"Reflectie {next(_sequence)}")
    kw.setdefault("parts", {"answer": "Ik was verrast hoe snel de groep tot de kern kwam."})
    kw.setdefault("prompt", "surprised")
    reflection = Reflection(author=author, **kw)
    db.session.add(reflection)
    db.session.commit()
    return reflection


def make_visit(host: User, **kw):
    """A published visit hosted by ``host`` in their Werkplaats, by default in a week,
    10:00–12:00 UTC, committed."""
    import secrets

    from leerkring.visits.models import Visit, VisitStatus

    start = kw.pop("starts_at", None) or (datetime.now(UTC) + timedelta(days=7)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    kw.setdefault("ends_at", start + timedelta(hours=2))
    kw.setdefault("title", f"Keukenbezoek {next(_sequence)}")
    kw.setdefault("description", "Kijk mee bij ons buurtteam.")
    kw.setdefault("werkplaats_id", host.home_werkplaats_id)
    kw.setdefault("status", VisitStatus.PUBLISHED)
    kw.setdefault("offer_key", secrets.token_hex(8))
    kw.setdefault("place_address", "Stationsplein 12, Enschede")
    visit = Visit(host=host, starts_at=start, **kw)
    db.session.add(visit)
    db.session.commit()
    return visit


def make_cohort(lecturer: User, students=(), circles=(), **kw):
    """A cohort led by ``lecturer`` with ``students``, running this academic term, committed."""
    from datetime import date

    from leerkring.assignments.models import Cohort, CohortMember, CohortRole

    kw.setdefault("name", f"Praktijkleren SPH jaar 3, blok {next(_sequence)}")
    kw.setdefault("starts_on", date.today() - timedelta(days=30))
    kw.setdefault("ends_on", date.today() + timedelta(days=60))
    cohort = Cohort(created_by_id=lecturer.id, circles=list(circles), **kw)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=lecturer.id, role=CohortRole.LECTURER))
    for student in students:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=student.id))
    db.session.commit()
    return cohort


def make_assignment(cohort, **kw):
    """A text assignment of ``cohort``, open since yesterday, due in a week, cut off a week later,
    committed."""
    from leerkring.assignments.models import Assignment

    now = datetime.now(UTC).replace(second=0, microsecond=0)
    kw.setdefault("title", f"Observeer een bijeenkomst {next(_sequence)}")
    kw.setdefault("instructions", "Beschrijf wat je zag en wat je opviel.")
    kw.setdefault("opens_at", now - timedelta(days=1))
    kw.setdefault("due_at", now + timedelta(days=7))
    kw.setdefault("cutoff_at", kw["due_at"] + timedelta(days=7))
    assignment = Assignment(cohort_id=cohort.id, created_by_id=cohort.created_by_id, **kw)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def make_submission(assignment, student: User, **kw):
    """A handed-in text submission (``submitted_at=None`` for a draft), committed."""
    from leerkring.assignments.models import Submission

    kw.setdefault("body", "Ik zag hoe de groep samen een vraag onderzocht.")
    kw.setdefault("submitted_at", datetime.now(UTC))
    submission = Submission(assignment_id=assignment.id, student_id=student.id, **kw)
    db.session.add(submission)
    db.session.commit()
    return submission


def make_library_item(creator: User | None, **kw):
    """A library item made by ``creator``, committed. PUBLISHED by default (not public), national
    (no Werkplaats) unless ``werkplaatsen`` is given; ``status=ItemStatus.DRAFT`` or
    ``SUBMITTED`` for one that is not. ``os`` takes FourO values; ``authors``, ``themes`` and
    ``werkplaatsen`` take rows. Not indexed for search."""
    from leerkring.library.models import ItemKind, ItemO, ItemStatus, LibraryItem

    now = datetime.now(UTC)
    kw.setdefault("title", f"Methode buurtgesprekken {next(_sequence)}")
    kw.setdefault("summary", "Zo voer je een gesprek met bewoners over hun buurt.")
    kw.setdefault("body", "Begin met **luisteren**.")
    kw.setdefault("kind", ItemKind.METHOD)
    kw.setdefault("status", ItemStatus.PUBLISHED)
    kw.setdefault("licence", "CC BY 4.0")
    kw.setdefault("year", 2025)
    if kw["status"] != ItemStatus.DRAFT:
        kw.setdefault("submitted_at", now)
    if kw["status"] == ItemStatus.PUBLISHED:
        kw.setdefault("published_at", now)
    os = kw.pop("os", ())
    item = LibraryItem(created_by_id=creator.id if creator else None, **kw)
    item.os = [ItemO(o=o) for o in os]
    db.session.add(item)
    db.session.commit()
    return item
