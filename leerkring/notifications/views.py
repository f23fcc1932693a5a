from dataclasses import dataclass
from datetime import datetime

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.notifications import bp, failures, outbox, services
from leerkring.notifications.models import Delivery, DeliveryStatus
from leerkring.notifications.registry import KINDS
from leerkring.permissions import can_see_failed_deliveries, require
from leerkring.web import paginate, redirect_to, render, wants_partial


def unread_count() -> int:
    """The signed-in user's unread notices, counted once per request (0 when signed out)."""
    if not current_user.is_authenticated:
        return 0
    if "_unread_count" not in g:
        g._unread_count = services.unread_count(current_user)
    return g._unread_count


@bp.app_context_processor
def unread_notifications():
    """The unread count for the navigation on every page (one query; 0 when signed out)."""
    return {"unread_notifications": unread_count()}


@bp.app_template_global()
def failed_delivery_count() -> int:
    """For the admin's dashboard: reminders that could not be sent (one query, admins only)."""
    return failures.count() if can_see_failed_deliveries(current_user) else 0


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
    page = paginate(services.for_user(current_user))
    shown = [Shown(services.text(n), n.url, n.created_at, n.read_at is None) for n in page.items]
    services.mark_read(current_user, page.items)
    db.session.commit()
    return render(
        "notifications/index.html",
        partial="notifications/_list.html",
        pagination=page,
        shown=shown,
    )


@bp.get("/unread")
def unread():
    """The bell in the navigation polls this: its fragment when the count changed, 204 (htmx
    swaps nothing, so screen readers hear nothing) when it did not."""
    if wants_partial() and request.args.get("shown", type=int) == unread_count():
        return "", 204
    return render("notifications/unread.html", partial="notifications/_bell.html")


@bp.post("/read")
def mark_all_read():
    services.mark_read(current_user)
    db.session.commit()
    flash(_("All notices are marked as read."))
    return redirect_to(url_for("notifications.index"))


# Failed deliveries (association admins) -------------------------------------------------------


@bp.get("/failed")
def failed():
    require(can_see_failed_deliveries(current_user))
    page = paginate(failures.failed())
    return render(
        "notifications/failed.html",
        partial="notifications/_failed.html",
        pagination=page,
        kinds=KINDS,
        now=utcnow(),
    )


@bp.post("/failed/<int:delivery_id>/retry")
def retry(delivery_id: int):
    require(can_see_failed_deliveries(current_user))
    delivery = db.get_or_404(Delivery, delivery_id)
    now = utcnow()
    if delivery.status != DeliveryStatus.FAILED:
        flash(_("This reminder is no longer waiting to be sent again."))
    elif delivery.expires_at <= now:
        flash(_("The moment of this reminder has passed, so it is not sent any more."), "error")
    else:
        outbox.retry(delivery, now)
        flash(_("The reminder will be sent again within a minute."), "success")
    db.session.commit()
    return redirect_to(url_for("notifications.failed"))


@bp.post("/failed/retry")
def retry_all():
    require(can_see_failed_deliveries(current_user))
    count = failures.retry_all()
    db.session.commit()
    flash(
        ngettext(
            "%(num)s reminder will be sent again within a minute.",
            "%(num)s reminders will be sent again within a minute.",
            count,
        )
        if count
        else _("There are no reminders to send again."),
        "success",
    )
    return redirect_to(url_for("notifications.failed"))
