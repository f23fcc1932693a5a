"""Access to circles, their meetings, attendance, date polls and notification settings."""

from leerkring.permissions import admin_werkplaats_ids

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
