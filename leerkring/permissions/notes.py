"""Access to case notes, their comments, and reflections."""


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


def can_reflect_on_visit(user, visit, signup) -> bool:
    """Write a reflection about a kitchen visit: those who had a place at it (``signup`` is the
    user's sign-up, or None)."""
    return (
        user.is_authenticated and visit.is_published and signup is not None
        and signup.user_id == user.id and signup.has_place
    )


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
