"""Data rights (DESIGN.md section 8): a user downloads their own data, or deletes their account.

Every area imports accounts, so accounts knows none of them: each area registers a *part* here
(``register_part``) when it is imported, and the two services below ask every part in turn.

- ``export(user)`` returns that area's data of the user, JSON-able (datetimes, dates and enums are
  allowed too: ``jsonable`` writes them as ISO 8601 and as their value).
- ``describe(user)`` says, in the current language and with counts, what deleting the account
  does to that data; ``caution(text)`` marks a line the user should not miss.
- ``erase(user)``, if given, does what must happen before the user row goes. The foreign keys do
  the rest when the row is deleted: rows that are only the user's cascade, rows that belong to a
  circle keep existing with the user's id set to NULL.

Deleting is one transaction: every part's erase, then the user row, then the audit event. The
event says *that* an account was deleted and when, nothing more: no user id (it would point at
nothing, and the user's earlier audit events lose their link through their own foreign key), no
e-mail address or hash of it, no IP address. It is proof that the erasure happened, not a trail
back to the person.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from leerkring.accounts.models import AuditEvent, User
from leerkring.accounts.services import audit
from leerkring.db import utcnow
from leerkring.extensions import db

#: Bumped when the export's shape changes in a way a reader of old files must know about.
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Part:
    name: str
    export: Callable[[User], object]
    describe: Callable[[User], list[str]]
    erase: Callable[[User], object] | None = None


#: name → part, in the order the areas were imported (the export and the preview keep it).
PARTS: dict[str, Part] = {}


def register_part(name: str, export, describe, erase=None) -> Part:
    if name in PARTS and PARTS[name].export is not export:
        raise ValueError(f"data rights part {name!r} is already registered")
    PARTS[name] = Part(name, export, describe, erase)
    return PARTS[name]


class Caution(str):
    """A consequence shown with emphasis, e.g. "you are the last coordinator"."""

    is_caution = True


def caution(text: str) -> str:
    return Caution(text)


def jsonable(value):
    """``json.dumps(default=…)`` for what the parts return besides plain JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON-able")


# Export -----------------------------------------------------------------------------------------


def export(user: User) -> dict:
    """Everything Leerkring holds about ``user``, part by part; recorded in the audit log."""
    audit("data_export", user=user)
    return {
        "export": {"format": "leerkring", "version": EXPORT_VERSION, "made_at": utcnow()},
        **{part.name: part.export(user) for part in PARTS.values()},
    }


# Deleting the account ---------------------------------------------------------------------------


def consequences(user: User) -> list[str]:
    """What deleting the account will do, every part's lines in order."""
    return [line for part in PARTS.values() for line in part.describe(user)]


def delete_account(user: User) -> None:
    """Erase ``user`` in the current transaction: the parts first, then the row (the foreign keys
    cascade or set NULL), then a content-free audit event. The caller commits once."""
    for part in PARTS.values():
        if part.erase is not None:
            part.erase(user)
    db.session.flush()
    db.session.execute(sa.delete(User).where(User.id == user.id))
    db.session.add(AuditEvent(action="account_deleted", user_id=None, ip=None))
    db.session.flush()


# The account itself -----------------------------------------------------------------------------


def _administered_werkplaatsen(user: User) -> list[str]:
    # Imported here: the werkplaatsen package imports the areas, which import this module.
    from leerkring.werkplaatsen.models import Werkplaats, werkplaats_admins

    return list(
        db.session.execute(
            sa.select(Werkplaats.name)
            .join(werkplaats_admins, werkplaats_admins.c.werkplaats_id == Werkplaats.id)
            .where(werkplaats_admins.c.user_id == user.id)
            .order_by(Werkplaats.name)
        ).scalars()
    )


def export_account(user: User) -> dict:
    """The profile and the account's security events; never the password hash or session token."""
    events = db.session.execute(
        sa.select(AuditEvent.at, AuditEvent.action, AuditEvent.detail, AuditEvent.ip)
        .where(AuditEvent.user_id == user.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return {
        "email": user.email,
        "name": user.name,
        "field_role": user.field_role,
        "organisation": user.organisation,
        "home_werkplaats": user.home_werkplaats.name if user.home_werkplaats else None,
        "locale": user.locale,
        "timezone": user.timezone,
        "created_at": user.created_at,
        "email_verified_at": user.email_verified_at,
        "last_login_at": user.last_login_at,
        "is_association_admin": user.is_admin,
        "admin_of_werkplaatsen": _administered_werkplaatsen(user),
        "security_events": [
            {"at": at, "action": action, "detail": detail, "ip": ip}
            for at, action, detail, ip in events
        ],
    }


def describe_account(user: User) -> list[str]:
    lines = [_("Your account and profile are deleted: you are logged out everywhere and can no "
               "longer log in with %(email)s.", email=user.email)]
    werkplaatsen = _administered_werkplaatsen(user)
    if werkplaatsen:
        lines.append(ngettext(
            "You are no longer an admin of the Werkplaats %(names)s.",
            "You are no longer an admin of the Werkplaatsen %(names)s.",
            len(werkplaatsen), names=", ".join(werkplaatsen),
        ))
    return lines


register_part("account", export_account, describe_account)
