"""Changes to kitchen visits: offering, approving, editing, cancelling, signing up. Services never
commit.

Places and the waitlist are ``leerkring.places``, the same code meetings use. Every change that
alters who hears what about a visit, or when, replans its reminders (``reminders.py``) in the same
transaction."""

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from leerkring.extensions import db
from leerkring.notifications import outbox
from leerkring.places import Places, now
from leerkring.visits.models import Audience, Visit, VisitAudience, VisitSignup, VisitStatus

PLACES = Places(Visit, VisitSignup, "visit_id")

#: The subject type of the visits' reminders in the outbox (``Delivery.subject_type``).
REMINDER_SUBJECT = "visit"

#: Fields whose change visitors must hear of (new time or place).
CHANGE_FIELDS = ("starts_at", "ends_at", "place_address", "online_url")


def replan(visit_ids) -> None:
    """Bring the reminders about these visits up to date (in the caller's transaction)."""
    outbox.replan(REMINDER_SUBJECT, list(visit_ids))


@dataclass(frozen=True)
class Slot:
    """One date of an offer, as UTC instants."""

    starts_at: datetime
    ends_at: datetime


class SignupRefused(Exception):
    message = _l("You can no longer sign up for this visit.")


class VisitStarted(SignupRefused):
    message = _l("This visit has already started, so sign-up is closed.")


class VisitCancelled(SignupRefused):
    message = _l("This visit is cancelled.")


class VisitNotPublished(SignupRefused):
    message = _l("This visit is not published yet.")


def offer_visits(host, werkplaats, slots: list[Slot], *, themes=(), audiences=(),
                 **details) -> list[Visit]:
    """One Visit per date, sharing an offer key; pending when the Werkplaats approves first."""
    key = secrets.token_hex(8)
    status = VisitStatus.PENDING if werkplaats.visits_need_approval else VisitStatus.PUBLISHED
    visits = []
    for slot in sorted(slots, key=lambda s: s.starts_at):
        visit = Visit(
            werkplaats_id=werkplaats.id, host_id=host.id, offer_key=key, status=status,
            starts_at=slot.starts_at, ends_at=slot.ends_at, themes=list(themes),
            audiences=[VisitAudience(audience=Audience(a)) for a in audiences], **details,
        )
        if status == VisitStatus.PUBLISHED:
            visit.decided_at = now()
        db.session.add(visit)
        visits.append(visit)
    db.session.flush()
    return visits


def update_visit(visit: Visit, *, themes=None, audiences=None, **fields) -> bool:
    """Change the visit's details; a new time or place raises ``sequence`` and sets
    ``changed_at``. True when visitors must hear of it."""
    changed = any(getattr(visit, name) != fields[name] for name in CHANGE_FIELDS if name in fields)
    for name, value in fields.items():
        setattr(visit, name, value)
    if themes is not None:
        visit.themes = list(themes)
    if audiences is not None:
        wanted = {Audience(a) for a in audiences}
        visit.audiences = [a for a in visit.audiences if a.audience in wanted] + [
            VisitAudience(audience=a) for a in wanted - {x.audience for x in visit.audiences}
        ]
    if changed:
        visit.sequence += 1
        visit.changed_at = now()
    db.session.flush()
    PLACES.promote(visit)  # more places may have been opened
    replan([visit.id])
    return changed


def approve(visit: Visit, admin) -> None:
    _decide(visit, admin, VisitStatus.PUBLISHED)
    replan([visit.id])


def decline(visit: Visit, admin) -> None:
    _decide(visit, admin, VisitStatus.DECLINED)


def _decide(visit: Visit, admin, status: VisitStatus) -> None:
    visit.status = status
    visit.decided_at = now()
    visit.decided_by_id = admin.id


def cancel_visit(visit: Visit) -> None:
    visit.status = VisitStatus.CANCELLED
    visit.sequence += 1
    visit.changed_at = now()
    db.session.flush()
    replan([visit.id])


def set_needs_approval(werkplaats, value: bool) -> None:
    werkplaats.visits_need_approval = value


# Sign-up ----------------------------------------------------------------------------------------


def signup_of(visit: Visit, user) -> VisitSignup | None:
    if not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(VisitSignup).where(VisitSignup.visit_id == visit.id,
                                     VisitSignup.user_id == user.id)
    ).scalar()


def check_open(visit: Visit) -> None:
    if visit.is_cancelled:
        raise VisitCancelled
    if not visit.is_published:
        raise VisitNotPublished
    if visit.starts_at <= now():
        raise VisitStarted


def sign_up(visit: Visit, user, learning_goal: str = "") -> VisitSignup:
    """A place, or a spot on the waitlist."""
    check_open(visit)
    signup = signup_of(visit, user)
    if signup is None:
        signup = VisitSignup(visit_id=visit.id, user_id=user.id)
        db.session.add(signup)
    signup.learning_goal = learning_goal
    db.session.flush()
    PLACES.ask(visit, signup)
    db.session.flush()
    replan([visit.id])
    return signup


def cancel_signup(visit: Visit, user) -> list[VisitSignup]:
    """The user no longer comes: the place goes to the first who waits. Returns the promoted."""
    if visit.starts_at <= now():
        raise VisitStarted
    signup = signup_of(visit, user)
    if signup is None:
        return []
    promoted = PLACES.withdraw(signup)
    db.session.delete(signup)
    db.session.flush()
    replan([visit.id])
    return promoted


def waitlist_position(signup: VisitSignup) -> int | None:
    if signup.waitlisted_at is None:
        return None
    return db.session.execute(
        sa.select(sa.func.count()).select_from(VisitSignup).where(
            VisitSignup.visit_id == signup.visit_id,
            VisitSignup.waitlisted_at.is_not(None),
            sa.or_(
                VisitSignup.waitlisted_at < signup.waitlisted_at,
                sa.and_(VisitSignup.waitlisted_at == signup.waitlisted_at,
                        VisitSignup.id < signup.id),
            ),
        )
    ).scalar_one() + 1
