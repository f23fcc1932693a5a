"""The outbox: plan reminders into ``Delivery`` rows and send them, each exactly once.

``reconcile`` makes the rows of one kind match what the kind wants: it inserts what is missing
(``ON CONFLICT DO NOTHING``, so two planners can never make two rows), moves what changed, revives
what is wanted again and cancels what is no longer wanted. Rows already sent are never touched.

``deliver`` claims due rows in one atomic UPDATE (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
workers never wait for each other nor take the same row; SQLite has one writer at a time), sends
them and marks them sent only while its claim still holds. A claim whose lease ran out (a worker
that died) is claimed again; a failed attempt waits with backoff; after the last attempt the row
is ``failed`` and shown to admins; a row whose moment passed is ``expired``, never sent late.
"""

import logging
import socket
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, request, url_for
from sqlalchemy.dialects import postgresql, sqlite

from leerkring import mail
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.i18n import as_recipient
from leerkring.notifications import preferences
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from leerkring.notifications.registry import KINDS, Kind, Scope, kinds_for

log = logging.getLogger(__name__)

#: Rows a planner may change: pending ones and those cancelled earlier (wanted again: revived).
CHANGEABLE = (DeliveryStatus.PENDING, DeliveryStatus.CANCELLED)


# Planning -------------------------------------------------------------------------------------


def plan(now: datetime) -> Counter:
    """The scheduler's pass: every kind, for everything due up to the planning horizon.
    Returns the number of reminders planned per kind. Does not commit."""
    until = now + timedelta(hours=current_app.config["REMINDER_PLAN_AHEAD_HOURS"])
    planned = Counter()
    for kind in KINDS.values():
        if count := reconcile(kind, Scope(now, until)):
            planned[kind.name] = count
    return planned


def replan(subject_type: str, subject_ids, now: datetime | None = None, kinds=None) -> None:
    """Bring the reminders about these subjects up to date, in the caller's transaction.
    Services call this whenever they change something a reminder depends on."""
    ids = [subject_ids] if isinstance(subject_ids, int) else list(subject_ids)
    if not ids:
        return
    scope = Scope(now or utcnow(), None, ids)
    for kind in kinds_for(subject_type):
        if kinds is None or kind.name in kinds:
            reconcile(kind, scope)


def reconcile(kind: Kind, scope: Scope) -> int:
    """Make ``kind``'s rows in ``scope`` match what it wants; returns how many were planned."""
    wanted = {
        (due.user_id, due.subject_id, due.occurrence_key, channel): due
        for due, channel in preferences.with_channels(
            kind, (due for due in kind.due(scope) if scope.wants(due))
        )
    }
    rows = {
        (row.user_id, row.subject_id, row.occurrence_key, row.channel): row
        for row in db.session.execute(_rows_in_scope(kind, scope, {key[1] for key in wanted}))
        .scalars()
    }
    planned = _insert_missing(kind, [(key, due) for key, due in wanted.items() if key not in rows])
    for key, row in rows.items():
        due = wanted.get(key)
        if row.status not in CHANGEABLE:
            continue
        if due is None:
            in_scope = scope.subject_ids is not None or row.due_at <= scope.until
            # One whose moment has passed was not cancelled: the delivery pass marks it expired.
            if row.status == DeliveryStatus.PENDING and in_scope and row.expires_at > scope.now:
                row.status = DeliveryStatus.CANCELLED
        else:
            moved = (row.due_at, row.expires_at) != (due.due_at, due.expires_at)
            # One the kind had nothing to say about when it was due (``sent_at`` set) is asked
            # again only when it moves, not on every pass until it expires.
            revived = row.status == DeliveryStatus.CANCELLED and (row.sent_at is None or moved)
            if revived or (row.status == DeliveryStatus.PENDING and moved):
                planned += 1 if revived else 0
                row.status = DeliveryStatus.PENDING
                row.due_at, row.expires_at = due.due_at, due.expires_at
                row.lease_until = None
                row.sent_at = None
    db.session.flush()
    return planned


def _rows_in_scope(kind: Kind, scope: Scope, subject_ids: set[int]):
    statement = sa.select(Delivery).where(
        Delivery.kind == kind.name, Delivery.subject_type == kind.subject_type
    )
    if scope.subject_ids is not None:
        return statement.where(Delivery.subject_id.in_(list(scope.subject_ids)))
    return statement.where(
        sa.or_(
            Delivery.subject_id.in_(list(subject_ids)),
            sa.and_(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= scope.until),
        )
    )


def _insert_missing(kind: Kind, missing) -> int:
    if not missing:
        return 0
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    created_at = utcnow()
    result = db.session.execute(
        dialect.insert(Delivery).on_conflict_do_nothing().returning(Delivery.id),
        [
            {
                "user_id": user_id,
                "kind": kind.name,
                "subject_type": kind.subject_type,
                "subject_id": subject_id,
                "occurrence_key": occurrence_key,
                "channel": channel,
                "due_at": due.due_at,
                "expires_at": due.expires_at,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "claimed_by": "",
                "message_id": "",
                "last_error": "",
                "created_at": created_at,
            }
            for (user_id, subject_id, occurrence_key, channel), due in missing
        ],
    )
    return len(result.all())


# Delivering -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """A reminder a pass sent. Not the row itself: a pass that kept its rows would keep them all
    in its session, and every commit would expire every one of them again."""

    id: int
    kind: str
    channel: Channel
    user_id: int
    email: str


@dataclass
class Report:
    """What one delivery pass did (the CLI prints it)."""

    sent: list[Sent] = field(default_factory=list)
    failed: int = 0
    retrying: int = 0
    cancelled: int = 0
    expired: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"


def deliver(now: datetime, worker: str | None = None, limit: int | None = None) -> Report:
    """Send everything due at ``now``. Commits after every row, so a crash loses nothing."""
    worker = worker or worker_name()
    report = Report()
    report.expired = expire(now)
    db.session.commit()
    batch = current_app.config["OUTBOX_BATCH"]
    handled = 0
    while limit is None or handled < limit:
        claimed = claim(now, worker, batch if limit is None else min(batch, limit - handled))
        db.session.commit()
        if not claimed:
            break
        with mail.session():
            for delivery_id in claimed:
                _deliver_one(delivery_id, now, worker, report)
        handled += len(claimed)
    return report


def expire(now: datetime) -> int:
    """Reminders whose moment has passed are not sent late."""
    result = db.session.execute(
        sa.update(Delivery)
        .where(
            Delivery.expires_at <= now,
            sa.or_(
                Delivery.status == DeliveryStatus.PENDING,
                sa.and_(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_until <= now),
            ),
        )
        .values(status=DeliveryStatus.EXPIRED, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def claim(now: datetime, worker: str, size: int) -> list[int]:
    """Take up to ``size`` due rows for ``worker`` (not committed: the caller commits)."""
    claimable = (
        sa.select(Delivery.id)
        .where(
            Delivery.due_at <= now,
            Delivery.expires_at > now,
            sa.or_(
                sa.and_(
                    Delivery.status == DeliveryStatus.PENDING,
                    sa.or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
                ),
                sa.and_(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_until <= now),
            ),
        )
        .order_by(Delivery.due_at, Delivery.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    result = db.session.execute(
        sa.update(Delivery)
        .where(
            Delivery.id.in_(claimable.scalar_subquery()),
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        )
        .values(
            status=DeliveryStatus.SENDING,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=Delivery.attempts + 1,
        )
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars())


def _deliver_one(delivery_id: int, now: datetime, worker: str, report: Report) -> None:
    delivery = db.session.get(Delivery, delivery_id, populate_existing=True)
    kind = KINDS.get(delivery.kind)
    try:
        if kind is None:
            raise LookupError(f"unknown reminder kind {delivery.kind!r}")
        with as_recipient(delivery.user):
            rendered = kind.render(delivery)
            if rendered is None:
                status, message_id = DeliveryStatus.CANCELLED, ""
            elif delivery.channel == Channel.INAPP:
                db.session.add(
                    Notification(
                        user_id=delivery.user_id,
                        kind=delivery.kind,
                        url=rendered.url,
                        params=rendered.params,
                    )
                )
                status, message_id = DeliveryStatus.SENT, ""
            else:
                status, message_id = DeliveryStatus.SENT, mail.send(_message(delivery, rendered))
    except Exception as error:  # noqa: BLE001  (any failure is retried, then shown to admins)
        db.session.rollback()
        _failed(delivery_id, now, worker, error, report)
        return
    sent = Sent(delivery.id, delivery.kind, delivery.channel, delivery.user_id, delivery.user.email)
    if _finish(delivery_id, worker, status, now, message_id):
        db.session.commit()
        if status == DeliveryStatus.SENT:
            report.sent.append(sent)
        else:
            report.cancelled += 1
    else:
        db.session.rollback()  # the lease ran out and someone else took it


def _finish(delivery_id: int, worker: str, status, now: datetime, message_id: str) -> bool:
    """Mark the row done, only while this worker's claim holds."""
    result = db.session.execute(
        sa.update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.SENDING,
            Delivery.claimed_by == worker,
        )
        .values(
            status=status,
            sent_at=now,
            message_id=message_id,
            lease_until=None,
            last_error="",
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _failed(delivery_id: int, now: datetime, worker: str, error: Exception, report) -> None:
    config = current_app.config
    delivery = db.session.get(Delivery, delivery_id, populate_existing=True)
    if delivery.status != DeliveryStatus.SENDING or delivery.claimed_by != worker:
        return
    delivery.last_error = f"{type(error).__name__}: {error}"[:500]
    backoff = config["OUTBOX_BACKOFF_MINUTES"]
    if delivery.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        delivery.status = DeliveryStatus.FAILED
        delivery.lease_until = None
        report.failed += 1
    else:
        delivery.status = DeliveryStatus.PENDING
        wait = backoff[min(delivery.attempts, len(backoff)) - 1]
        delivery.lease_until = now + timedelta(minutes=wait)
        report.retrying += 1
    log.warning(
        "Delivery %s (%s) attempt %s failed: %s",
        delivery.id, delivery.kind, delivery.attempts, type(error).__name__,
    )
    db.session.commit()


def retry(delivery: Delivery, now: datetime | None = None) -> None:
    """An admin sends a failed reminder again (as soon as the next pass runs)."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.lease_until = None
    delivery.due_at = min(delivery.due_at, now or utcnow())


def message_id(delivery: Delivery) -> str:
    """Stable per delivery: the one possible duplicate (sent, then a crash before the commit)
    carries the same Message-ID, so mail clients recognise it."""
    return mail.message_id(f"delivery.{delivery.id}.{delivery.kind}")


def _message(delivery: Delivery, rendered):
    user = delivery.user
    context = {
        "user": user,
        "link": request.url_root.rstrip("/") + rendered.url,
        "unsubscribe_url": preferences.unsubscribe_url(user, delivery.kind),
        "preferences_url": url_for("notifications.preferences", _external=True),
        "kind": KINDS[delivery.kind],
        **rendered.context,
    }
    return mail.build_message(
        user.email,
        rendered.subject,
        render_template(f"{rendered.template}.txt", **context),
        render_template(f"{rendered.template}.html", **context),
        message_id=message_id(delivery),
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            **rendered.headers,
        },
        attachments=rendered.attachments,
    )
