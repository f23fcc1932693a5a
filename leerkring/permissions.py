"""Every access rule, in one place.

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


# Circles ------------------------------------------------------------------------------------
# ``membership`` is the user's Membership in the circle, or None; views load it once.


def _oversees(user, circle) -> bool:
    """Association admins, and Werkplaats admins for their own Werkplaats' circles."""
    return user.is_admin or (
        circle.werkplaats_id is not None and circle.werkplaats_id in admin_werkplaats_ids(user)
    )


def can_view_circle(user, circle, membership) -> bool:
    from leerkring.circles.models import Visibility

    if membership is not None or _oversees(user, circle):
        return True
    return circle.visibility == Visibility.SIGNED_IN and not circle.is_archived


def can_see_members(user, circle, membership) -> bool:
    return membership is not None or _oversees(user, circle)


def can_manage_circle(user, circle, membership) -> bool:
    """Coordinate: edit, approve requests, invite, appoint coordinators, remove, archive."""
    if membership is not None and membership.is_coordinator:
        return True
    return _oversees(user, circle)


def can_create_circle(user) -> bool:
    return user.is_authenticated and user.is_verified


def can_change_circle(user, circle, membership) -> bool:
    """Manage a circle that is not archived: an archived circle is read-only until reopened."""
    return not circle.is_archived and can_manage_circle(user, circle, membership)


def can_join_circle(user, circle, membership) -> bool:
    """Join at once: an open circle you can see and are not in (room is checked when joining)."""
    from leerkring.circles.models import JoinMode

    return (
        membership is None
        and circle.join_mode == JoinMode.OPEN
        and not circle.is_archived
        and can_view_circle(user, circle, membership)
    )


def can_request_to_join(user, circle, membership) -> bool:
    from leerkring.circles.models import JoinMode

    return (
        membership is None
        and circle.join_mode == JoinMode.ON_REQUEST
        and not circle.is_archived
        and can_view_circle(user, circle, membership)
    )


def can_leave_circle(user, circle, membership) -> bool:
    return membership is not None and not circle.is_archived


def can_step_down(user, circle, membership) -> bool:
    """A coordinator becomes a member again (the service checks another coordinator remains)."""
    return membership is not None and membership.is_coordinator and not circle.is_archived


def can_remove_member(user, circle, membership, other) -> bool:
    """Coordinators remove others; they leave themselves through ``can_leave_circle``."""
    return other.user_id != user.id and can_change_circle(user, circle, membership)


def visible_circles(user):
    """SQL condition for the circles ``user`` may find in lists: ``can_view_circle`` minus the
    archived ones, which lists never show. Anonymous visitors of the public Werkplaats and theme
    pages find the circles every signed-in user can see."""
    import sqlalchemy as sa

    from leerkring.circles.models import Circle, Membership, Visibility

    if not user.is_authenticated:
        return sa.and_(Circle.archived_at.is_(None), Circle.visibility == Visibility.SIGNED_IN)
    if user.is_admin:
        return Circle.archived_at.is_(None)
    member = sa.exists().where(Membership.circle_id == Circle.id, Membership.user_id == user.id)
    return sa.and_(
        Circle.archived_at.is_(None),
        sa.or_(
            Circle.visibility == Visibility.SIGNED_IN,
            member,
            Circle.werkplaats_id.in_(sorted(admin_werkplaats_ids(user))),
        ),
    )


# Meetings -----------------------------------------------------------------------------------
# A meeting is seen by whoever can see its circle; ``membership`` is the user's Membership in the
# meeting's circle, or None.


def can_view_meeting(user, meeting, membership) -> bool:
    return can_view_circle(user, meeting.circle, membership)


def can_answer_meeting(user, meeting, membership) -> bool:
    """Members answer yes / maybe / no (guests answer through their signed link)."""
    return membership is not None and not meeting.is_cancelled and not meeting.circle.is_archived


def can_see_attendees(user, meeting, membership) -> bool:
    """Who comes, attendance and minutes drafts: members and those who oversee the circle."""
    return can_see_members(user, meeting.circle, membership)


def can_manage_meeting(user, meeting, membership) -> bool:
    """Schedule, edit, cancel, add guests, tick attendance, write minutes, run date polls."""
    return can_change_circle(user, meeting.circle, membership)


# Attendance, minutes and date polls ---------------------------------------------------------


def can_check_in(user, meeting, membership) -> bool:
    """Members check themselves in (the service checks the meeting window)."""
    return membership is not None and not meeting.is_cancelled and not meeting.circle.is_archived


def can_view_circle_attendance(user, circle, membership) -> bool:
    return can_manage_circle(user, circle, membership)


def can_view_poll(user, poll, membership) -> bool:
    return can_see_members(user, poll.circle, membership)


def can_answer_poll(user, poll, membership) -> bool:
    """Members answer while the poll takes answers (open and before its closing moment)."""
    return membership is not None and poll.takes_answers and not poll.circle.is_archived


def can_see_poll_answers(user, poll, membership) -> bool:
    """Everyone's answers: coordinators always, members unless the coordinator hid them."""
    return can_manage_circle(user, poll.circle, membership) or (
        membership is not None and not poll.hide_answers
    )


def can_manage_poll(user, poll, membership) -> bool:
    return can_change_circle(user, poll.circle, membership)


# Notifications ------------------------------------------------------------------------------


def can_mute_circle_kinds(user, circle, membership) -> bool:
    """Turn reminder kinds off for everyone in a circle: its coordinators (not when archived)."""
    return can_change_circle(user, circle, membership)


def can_see_failed_deliveries(user) -> bool:
    """Reminders that could not be sent, with their errors, and sending them again."""
    return user.is_authenticated and user.is_admin


# Case notes ---------------------------------------------------------------------------------
# Seen by their author and, once shared, by the circle's current members: not by admins who are
# not members, and not by someone who left. Views hide a case that cannot be seen (404).
# ``membership`` is the user's Membership in the case's circle, or None.


def _is_author(user, note) -> bool:
    return user.is_authenticated and note.author_id == user.id


def can_add_case(user, circle, membership) -> bool:
    return membership is not None and not circle.is_archived


def can_view_case(user, case, membership) -> bool:
    return _is_author(user, case) or (membership is not None and not case.is_draft)


def visible_cases(user, membership):
    """SQL condition for ``can_view_case`` on the cases of one circle, ``membership`` being the
    user's Membership in it."""
    import sqlalchemy as sa

    from leerkring.notes.models import CaseNote, CaseStatus

    own = CaseNote.author_id == user.id if user.is_authenticated else sa.false()
    shared = CaseNote.status != CaseStatus.DRAFT if membership is not None else sa.false()
    return sa.or_(own, shared)


def can_list_cases(user, circle, membership) -> bool:
    """A circle's list of cases: its current members only."""
    return membership is not None


def can_edit_case(user, case, membership) -> bool:
    """The author edits the question, situation and method until the case is closed."""
    return _is_author(user, case) and not case.is_closed and not case.circle.is_archived


def can_share_case(user, case, membership) -> bool:
    return can_edit_case(user, case, membership) and case.is_draft and membership is not None


def can_close_case(user, case, membership) -> bool:
    """The author writes "what I take from this" once the circle has seen the case."""
    return can_edit_case(user, case, membership) and not case.is_draft


def can_write_lesson(user, case, membership) -> bool:
    """"What we learned": any current member, once the author closed the case."""
    return membership is not None and case.is_closed and not case.circle.is_archived


def can_extend_case(user, case, membership) -> bool:
    """Keep a case one more retention period: its author, once."""
    return _is_author(user, case) and case.extended_at is None


def can_delete_case(user, case, membership) -> bool:
    return _is_author(user, case)


def can_comment_case(user, case, membership) -> bool:
    return (
        membership is not None and not case.is_draft and not case.is_closed
        and not case.circle.is_archived
    )


def can_edit_comment(user, comment, membership) -> bool:
    """Their own comment, while the case takes comments."""
    return _is_author(user, comment) and can_comment_case(user, comment.case, membership)


# Reflections --------------------------------------------------------------------------------
# ``membership`` is the user's Membership in the reflection's circle, or None.


def can_view_reflection(user, reflection, membership) -> bool:
    from leerkring.notes.models import Sharing

    if _is_author(user, reflection):
        return True
    if membership is None:
        return False
    if reflection.sharing == Sharing.CIRCLE:
        return True
    return reflection.sharing == Sharing.MENTOR and membership.is_coordinator


def can_edit_reflection(user, reflection, membership) -> bool:
    return _is_author(user, reflection)


def can_share_reflection(user, circle, membership) -> bool:
    """Share a reflection with a circle (its coordinators or all its members), or start one from
    the circle: its members, while the circle is not archived."""
    return membership is not None and not circle.is_archived


def can_list_circle_reflections(user, circle, membership) -> bool:
    """The reflections shared with a circle: its current members only."""
    return membership is not None


def shared_reflections(circle, membership):
    """SQL condition for the reflections of ``circle`` shared with its members and, for its
    coordinators, with them (``can_view_reflection`` for everyone but the author)."""
    import sqlalchemy as sa

    from leerkring.notes.models import Reflection, Sharing

    if membership is None:
        return sa.false()
    sharing = [Sharing.CIRCLE, Sharing.MENTOR] if membership.is_coordinator else [Sharing.CIRCLE]
    return sa.and_(Reflection.circle_id == circle.id, Reflection.sharing.in_(sharing))


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
