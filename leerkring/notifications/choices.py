"""Changing who wants which reminder: a user's own choices, a circle's muted kinds and the
one-click unsubscribe from a mail.

Every change brings the reminders already planned in line at once: their subjects are planned
again (``outbox.replan``) in the same transaction, which moves, cancels or adds rows. What is not
planned yet follows the new choices when the scheduler plans it. (The scheduler's planning pass,
every few minutes, would also move a planned row whose due time changed; replanning here means
nobody has to wait for it.)
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import outbox, preferences
from leerkring.notifications.digest import DIGEST
from leerkring.notifications.models import (
    Channel,
    CircleMutedKind,
    Delivery,
    Digest,
    KindPreference,
)
from leerkring.notifications.registry import KINDS, PREFERENCE_LISTENERS, Kind


@dataclass
class Choices:
    """What the preferences page shows: the effective choice, defaults filled in."""

    #: kind name → channel → on
    channels: dict[str, dict[Channel, bool]]
    meeting_lead_days: int
    digest: Digest


def default_digest() -> Digest:
    return Digest(current_app.config["DIGEST_DEFAULT"])


def _chosen(user) -> dict[str, dict[Channel, bool]]:
    """The user's stored choices per kind (one query)."""
    chosen = defaultdict(dict)
    for kind, channel, is_enabled in db.session.execute(
        sa.select(KindPreference.kind, KindPreference.channel, KindPreference.is_enabled).where(
            KindPreference.user_id == user.id
        )
    ):
        chosen[kind][channel] = is_enabled
    return chosen


def choosable_kinds(user, chosen=None) -> list[Kind]:
    """The kinds a user chooses for: the optional ones, and any other the user turned off through
    an unsubscribe link (so it can be turned on again)."""
    chosen = _chosen(user) if chosen is None else chosen
    return [
        kind
        for kind in KINDS.values()
        if kind.is_optional or (kind.name in chosen and kind.name != DIGEST.name)
    ]


def current(user) -> tuple[list[Kind], Choices]:
    """The kinds to show and the user's effective choices (two queries)."""
    chosen = _chosen(user)
    kinds = choosable_kinds(user, chosen)
    stored = preferences.settings(user)
    channels = {kind.name: preferences.effective(kind, chosen[kind.name]) for kind in kinds}
    return kinds, Choices(
        channels=channels,
        meeting_lead_days=stored.meeting_lead_days or preferences.meeting_lead_days_default(),
        digest=stored.digest or default_digest(),
    )


def save(user, chosen: Choices, now: datetime | None = None) -> None:
    """Store the user's choices (rows only where they differ from the defaults) and bring the
    reminders already planned for them in line."""
    for kind_name, per_channel in chosen.channels.items():
        for channel, is_enabled in per_channel.items():
            preferences.choose(user, KINDS[kind_name], channel, is_enabled)
    lead_days = chosen.meeting_lead_days
    _store_settings(
        user,
        None if lead_days == preferences.meeting_lead_days_default() else lead_days,
        None if chosen.digest == default_digest() else chosen.digest,
    )
    changed(user, now)


def _store_settings(user, meeting_lead_days: int | None, digest: Digest | None) -> None:
    settings = preferences.settings(user)
    settings.meeting_lead_days, settings.digest = meeting_lead_days, digest
    is_stored = sa.inspect(settings).persistent
    if meeting_lead_days is None and digest is None:
        if is_stored:
            db.session.delete(settings)
    elif not is_stored:
        db.session.add(settings)


def unsubscribe(user, kind: Kind, now: datetime | None = None) -> None:
    """The one-click link in a mail: no more mail of this kind (in-app notices stay). The digest
    has its own setting (weekly / never): its link sets it to never."""
    if kind.name == DIGEST.name:
        stored = preferences.settings(user)
        _store_settings(user, stored.meeting_lead_days, Digest.NEVER)
    else:
        preferences.choose(user, kind, Channel.EMAIL, False)
    changed(user, now)


def gets_mail(user, kind: Kind) -> bool:
    """Whether ``kind`` still comes by mail for ``user`` (their own choice; the circle aside)."""
    if kind.name == DIGEST.name:
        return (preferences.settings(user).digest or default_digest()) == Digest.WEEKLY
    return preferences.channels(user, kind)[Channel.EMAIL]


def changed(user, now: datetime | None = None) -> None:
    """After a user's choices changed: replan the subjects of the reminders still to come for
    them, and let the areas plan what they plan from the choices."""
    db.session.flush()
    now = now or utcnow()
    _replan(_open_rows(now).where(Delivery.user_id == user.id), now, also={("user", user.id)})
    for listener in PREFERENCE_LISTENERS:
        listener(user)


def _open_rows(now: datetime):
    """Rows a replan may still change: pending or cancelled, and not past their moment."""
    return (
        sa.select(Delivery.subject_type, Delivery.subject_id)
        .where(Delivery.status.in_(outbox.CHANGEABLE), Delivery.expires_at > now)
        .distinct()
    )


def _replan(subjects, now: datetime, also=(), kinds=None) -> None:
    by_type = defaultdict(set)
    for subject_type, subject_id in [*db.session.execute(subjects), *also]:
        by_type[subject_type].add(subject_id)
    for subject_type, ids in by_type.items():
        outbox.replan(subject_type, sorted(ids), now, kinds=kinds)


# A circle's muted kinds -----------------------------------------------------------------------


def muted_kinds(circle) -> set[str]:
    return set(
        db.session.execute(
            sa.select(CircleMutedKind.kind).where(CircleMutedKind.circle_id == circle.id)
        ).scalars()
    )


def set_muted_kinds(circle, muted: set[str], kinds: list[Kind], now: datetime | None = None):
    """Turn ``muted`` off for the whole circle and the other ``kinds`` on again; reminders of the
    changed kinds already planned follow at once."""
    now = now or utcnow()
    before = muted_kinds(circle)
    names = {kind.name for kind in kinds}
    for name in (muted & names) - before:
        db.session.add(CircleMutedKind(circle_id=circle.id, kind=name))
    unmuted = (before & names) - muted
    if unmuted:
        db.session.execute(
            sa.delete(CircleMutedKind).where(
                CircleMutedKind.circle_id == circle.id, CircleMutedKind.kind.in_(sorted(unmuted))
            )
        )
    changed_kinds = ((muted & names) - before) | unmuted
    db.session.flush()
    if changed_kinds:
        _replan(
            _open_rows(now).where(Delivery.kind.in_(sorted(changed_kinds))),
            now,
            kinds=changed_kinds,
        )
    return changed_kinds
