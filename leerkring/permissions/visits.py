"""Access to kitchen visits."""

from flask import g

from leerkring.permissions import admin_werkplaats_ids

# Kitchen visits -----------------------------------------------------------------------------
# A published (or later cancelled) visit is seen by every signed-in user; before that by its host
# and those who approve it: the admins of the host's Werkplaats and the association admins.


def can_offer_visit(user) -> bool:
    """Any verified member of a Werkplaats offers a visit there."""
    return user.is_authenticated and user.is_verified and user.home_werkplaats_id is not None


def can_approve_visit(user, visit) -> bool:
    return user.is_authenticated and (
        user.is_admin or visit.werkplaats_id in admin_werkplaats_ids(user)
    )


def can_approve_visits(user) -> bool:
    """Has visits of some Werkplaats to approve: its admins and the association admins."""
    return user.is_authenticated and (user.is_admin or bool(admin_werkplaats_ids(user)))


def can_manage_visit(user, visit) -> bool:
    """Edit, cancel, see who comes and export the list: the host and those who approve."""
    return _is_host(user, visit) or can_approve_visit(user, visit)


def can_view_visit(user, visit) -> bool:
    from leerkring.visits.models import VisitStatus

    if visit.status in (VisitStatus.PUBLISHED, VisitStatus.CANCELLED):
        return user.is_authenticated
    return can_manage_visit(user, visit)


def can_sign_up_for_visit(user, visit) -> bool:
    """Published and not yet begun (the service checks the time); hosts do not sign up."""
    return user.is_authenticated and visit.is_published and not _is_host(user, visit)


def _is_host(user, visit) -> bool:
    return user.is_authenticated and visit.host_id == user.id


def can_view_visit_overview(user) -> bool:
    """The association's overview of visits between Werkplaatsen: association and Werkplaats
    admins, and policymakers."""
    from leerkring.accounts.models import FieldRole

    return user.is_authenticated and (
        user.is_admin
        or bool(admin_werkplaats_ids(user))
        or user.field_role == FieldRole.POLICYMAKER
    )


# Visit reports ------------------------------------------------------------------------------
# A report is seen by its author, the visit's host, those who approve visits of the host's
# Werkplaats (and the association admins), and the current members of the circles it was
# brought to; hidden (404) from everyone else. The author edits, deletes and brings it to
# circles; the host responds. Views load ``report.visit`` and ``report.circles``.


def member_circle_roles(user) -> dict[int, bool]:
    """The circles ``user`` is a current member of → whether they coordinate it, loaded once per
    request."""
    if not user.is_authenticated:
        return {}
    cache = g.setdefault("_member_circle_roles", {})
    if user.id not in cache:
        from leerkring.circles.models import CircleRole, Membership
        from leerkring.extensions import db

        rows = db.session.execute(
            db.select(Membership.circle_id, Membership.role).where(Membership.user_id == user.id)
        )
        cache[user.id] = {circle_id: role == CircleRole.COORDINATOR for circle_id, role in rows}
    return cache[user.id]


def can_write_report(user, visit, signup) -> bool:
    """A visitor with a place, once the visit has started, unless it was cancelled."""
    from leerkring import places

    return (
        user.is_authenticated
        and signup is not None
        and signup.user_id == user.id
        and signup.has_place
        and visit.is_published
        and visit.starts_at <= places.now()
    )


def can_view_report(user, report) -> bool:
    if not user.is_authenticated:
        return False
    if _is_author(user, report) or _is_host(user, report.visit):
        return True
    if can_approve_visit(user, report.visit):
        return True
    mine = member_circle_roles(user)
    return any(link.circle_id in mine for link in report.circles)


def visible_reports(user):
    """SQL condition for ``can_view_report``, for lists (one condition, no query per report)."""
    import sqlalchemy as sa
    from sqlalchemy.orm import aliased

    from leerkring.circles.models import Membership
    from leerkring.visits.models import ReportCircle, Visit, VisitReport

    if not user.is_authenticated:
        return sa.false()
    if user.is_admin:
        return sa.true()
    hosted_or_approved = sa.select(Visit.id).where(
        sa.or_(
            Visit.host_id == user.id,
            Visit.werkplaats_id.in_(sorted(admin_werkplaats_ids(user))),
        )
    )
    # An alias, so that lists which join ReportCircle themselves do not correlate it away.
    link = aliased(ReportCircle)
    brought_to_my_circle = sa.exists().where(
        link.report_id == VisitReport.id,
        link.circle_id.in_(
            sa.select(Membership.circle_id).where(Membership.user_id == user.id)
        ),
    )
    return sa.or_(
        VisitReport.author_id == user.id,
        VisitReport.visit_id.in_(hosted_or_approved),
        brought_to_my_circle,
    )


def can_edit_report(user, report) -> bool:
    """Edit, delete, bring to circles and offer to the library: the author."""
    return _is_author(user, report)


def can_respond_to_report(user, report) -> bool:
    return _is_host(user, report.visit)


def can_schedule_report(user, report, circle) -> bool:
    """Put a report brought to ``circle`` on one of its meetings' agendas: the author (while a
    member) and the circle's coordinators, while the circle is not archived."""
    if circle.is_archived:
        return False
    roles = member_circle_roles(user)
    if circle.id not in roles:
        return False
    return _is_author(user, report) or roles[circle.id]


def can_list_circle_reports(user, circle, membership) -> bool:
    """The reports brought to a circle: its current members."""
    return membership is not None


def _is_author(user, report) -> bool:
    return user.is_authenticated and report.author_id == user.id
