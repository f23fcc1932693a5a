"""Limited places with a waitlist, for anything people sign up to: a meeting's "yes" answers, a
kitchen visit's sign-ups. Services never commit.

The holder (a Meeting, a Visit) has ``max_places`` (None: no limit) and ``places_taken``; each
entry (an Rsvp, a VisitSignup) has ``has_place``, ``waitlisted_at`` and ``promoted_at``. A place
is taken with one conditional UPDATE on ``places_taken``, so two people asking for the last place
at the same moment can never both get it; whoever does not get it waits in order
(``waitlisted_at``). A freed place goes at once to the first who waits.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from leerkring.extensions import db


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Places:
    #: The model with ``max_places`` and ``places_taken``.
    holder: type
    #: The model of the sign-ups, with ``has_place``, ``waitlisted_at`` and ``promoted_at``.
    entry: type
    #: The entry's column naming its holder, e.g. "meeting_id".
    holder_key: str

    def _entries_of(self, holder_id: int):
        return getattr(self.entry, self.holder_key) == holder_id

    def take(self, holder) -> bool:
        """One conditional UPDATE: true when a place was free and is now taken."""
        model = self.holder
        taken = db.session.execute(
            sa.update(model)
            .where(
                model.id == holder.id,
                sa.or_(model.max_places.is_(None), model.places_taken < model.max_places),
            )
            .values(places_taken=model.places_taken + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(holder, ["places_taken"])
        return taken.rowcount == 1

    def ask(self, holder, entry) -> list:
        """``entry`` wants a place: those already waiting go first (e.g. after the maximum was
        raised), then it gets a free place or waits. Returns the entries promoted on the way."""
        entry.promoted_at = None
        promoted = self.promote(holder)
        if entry.has_place:
            return promoted
        if self.take(holder):
            entry.has_place = True
            entry.waitlisted_at = None
        elif entry.waitlisted_at is None:
            entry.waitlisted_at = now()
        return promoted

    def withdraw(self, entry) -> list:
        """``entry`` no longer wants a place: it leaves the waitlist, and its place (if it had
        one) goes to the first who waits. Returns the entries promoted."""
        had_place = entry.has_place
        entry.has_place = False
        entry.waitlisted_at = None
        entry.promoted_at = None
        return self.release(getattr(entry, self.holder_key)) if had_place else []

    def release(self, holder_id: int) -> list:
        """A place of the holder came free (its entry withdrew or was deleted): the first who
        waits gets it. Returns the entries promoted."""
        model = self.holder
        db.session.execute(
            sa.update(model)
            .where(model.id == holder_id, model.places_taken > 0)
            .values(places_taken=model.places_taken - 1)
            .execution_options(synchronize_session=False)
        )
        db.session.flush()
        return self.promote(db.session.get(model, holder_id))

    def promote(self, holder) -> list:
        """Give free places to those waiting, first come first served; ``promoted_at`` names the
        moment, for the notice that tells them."""
        promoted = []
        while True:
            first = db.session.execute(
                sa.select(self.entry)
                .where(self._entries_of(holder.id), self.entry.waitlisted_at.is_not(None))
                .order_by(self.entry.waitlisted_at, self.entry.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).scalar()
            if first is None or not self.take(holder):
                break
            first.has_place = True
            first.waitlisted_at = None
            first.promoted_at = now()
            db.session.flush()
            promoted.append(first)
        return promoted
