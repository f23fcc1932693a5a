from dataclasses import dataclass
from datetime import datetime

from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerkring.extensions import db
from leerkring.notifications import bp, services
from leerkring.web import redirect_to, render


@bp.app_context_processor
def unread_notifications():
    """The unread count for the navigation on every page (one query; 0 when signed out)."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": services.unread_count(current_user)}


@dataclass(frozen=True)
class Shown:
    """A notice as shown: read before the page marks it read."""

    text: str
    url: str
    created_at: datetime
    is_new: bool


@bp.get("/")
def index():
    """The user's notices, newest first; showing them marks them read."""
    page = db.paginate(
        services.for_user(current_user),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    shown = [Shown(services.text(n), n.url, n.created_at, n.read_at is None) for n in page.items]
    services.mark_read(current_user, page.items)
    db.session.commit()
    return render(
        "notifications/index.html",
        partial="notifications/_list.html",
        pagination=page,
        shown=shown,
    )


@bp.post("/read")
def mark_all_read():
    services.mark_read(current_user)
    db.session.commit()
    flash(_("All notices are marked as read."))
    return redirect_to(url_for("notifications.index"))
