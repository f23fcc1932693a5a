import sqlalchemy as sa
from flask import current_app, jsonify
from flask_login import current_user

from leerkring.circles import queries as circles
from leerkring.extensions import db
from leerkring.home import bp
from leerkring.permissions import can_create_circle, public
from leerkring.visits import queries as visits
from leerkring.web import paginate, render


@bp.get("/healthz")
@public
def healthz():
    """200 after a database round-trip; 503 when the database does not answer."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)


@bp.get("/")
@public
def index():
    """The dashboard; a short introduction for visitors who are not signed in."""
    if not current_user.is_authenticated:
        return render("home/landing.html")
    return dashboard()


def first_page(select):
    return paginate(select, page=1)


def one_per_circle(invitations) -> list:
    """The newest invitation of each circle (the list comes newest first)."""
    newest = {}
    for invitation in invitations:
        newest.setdefault(invitation.circle_id, invitation)
    return list(newest.values())


def dashboard():
    from leerkring.meetings.answers import dashboard_context

    user = current_user
    memberships = paginate(circles.my_memberships(user))
    coordinated = [m.circle_id for m in memberships.items if m.is_coordinator]
    invitations = db.session.execute(
        circles.my_open_invitations(user).limit(current_app.config["PER_PAGE"])
    ).scalars()
    return render(
        "home/dashboard.html",
        partial="home/_my_circles.html",
        memberships=memberships,
        waiting=circles.pending_counts(coordinated),
        to_decide=first_page(circles.requests_to_decide(user)),
        my_requests=first_page(circles.my_pending_requests(user)),
        invitations=one_per_circle(invitations),
        can_create=can_create_circle(user),
        suggested=visits.suggested(user, limit=3),
        **dashboard_context(user),
    )
