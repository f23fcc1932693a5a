"""Every access rule, in one place: this package. The rules of each area live in their own
module and are imported here, so views and templates ask ``leerkring.permissions`` alone.

Every route needs a signed-in user unless its view is marked ``@public``; ``create_app`` installs
``require_login`` as a ``before_request`` hook, so a forgotten decorator fails closed. Object rules
below answer yes or no; views call ``require(...)`` with them after loading the object (404) and
before acting (403).
"""

from flask import abort, current_app, g, request
from flask_login import current_user

from leerkring.extensions import db, login_manager

#: Endpoints that need no login and cannot carry the ``@public`` mark themselves.
PUBLIC_ENDPOINTS = {"static"}


def public(view):
    """Mark a view as reachable without logging in."""
    view.is_public = True
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return True
    return getattr(current_app.view_functions.get(endpoint), "is_public", False)


def require_login():
    """``before_request``: send anonymous users to the login page, except on public views."""
    if current_user.is_authenticated or is_public_endpoint(request.endpoint):
        return None
    return login_manager.unauthorized()


def require(allowed: bool, *, hide: bool = False) -> None:
    """Stop the request unless ``allowed``: 404 when ``hide`` (existence is private), else 403."""
    if allowed:
        return
    from leerkring.accounts.services import audit

    db.session.rollback()
    audit("access_denied", detail=f"{request.method} {request.path}"[:255])
    db.session.commit()
    abort(404 if hide else 403)


# Association and Werkplaats admins --------------------------------------------------------


def admin_werkplaats_ids(user) -> frozenset[int]:
    """The Werkplaatsen this user administers, loaded once per request."""
    if not user.is_authenticated:
        return frozenset()
    cache = g.setdefault("_admin_werkplaats_ids", {})
    if user.id not in cache:
        from leerkring.werkplaatsen.models import werkplaats_admins

        rows = db.session.execute(
            db.select(werkplaats_admins.c.werkplaats_id).where(
                werkplaats_admins.c.user_id == user.id
            )
        )
        cache[user.id] = frozenset(rows.scalars())
    return cache[user.id]


def can_manage_werkplaats(user, werkplaats) -> bool:
    """Edit a Werkplaats' description and appoint its admins."""
    if not user.is_authenticated:
        return False
    return user.is_admin or werkplaats.id in admin_werkplaats_ids(user)


def can_appoint_werkplaats_admins(user) -> bool:
    return user.is_authenticated and user.is_admin


from leerkring.permissions.assignments import *  # noqa: E402, F403
from leerkring.permissions.circles import *  # noqa: E402, F403
from leerkring.permissions.library import *  # noqa: E402, F403
from leerkring.permissions.notes import *  # noqa: E402, F403
from leerkring.permissions.visits import *  # noqa: E402, F403
