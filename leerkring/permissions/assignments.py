"""Access to cohorts, fieldwork assignments and submissions.

``member`` is the user's CohortMember in the cohort (or the assignment's cohort), or None; views
load it once (``assignments.queries.member_of``). ``coordinated`` is the set of circle ids the
user coordinates (``assignments.queries.coordinated_circle_ids``), for the praktijkbegeleiders of
the cohort's circles."""

# Cohorts ------------------------------------------------------------------------------------


def can_create_cohort(user) -> bool:
    """Lecturers (by their field role) and association admins."""
    from leerkring.accounts.models import FieldRole

    return user.is_authenticated and user.is_verified and (
        user.is_admin or user.field_role == FieldRole.LECTURER
    )


def can_view_cohort(user, cohort, member) -> bool:
    return member is not None or (user.is_authenticated and user.is_admin)


def can_teach_cohort(user, cohort, member) -> bool:
    """See the grid, give feedback, archive the cohort and reopen it: its lecturers, also once it
    is archived."""
    return member is not None and member.is_lecturer


def can_manage_cohort(user, cohort, member) -> bool:
    """Edit the cohort, link circles, invite and remove people, set assignments: its lecturers,
    while it is not archived."""
    return can_teach_cohort(user, cohort, member) and cohort.archived_at is None


# Assignments and submissions ----------------------------------------------------------------


def can_view_assignment(user, assignment, member) -> bool:
    return member is not None


def can_submit(user, assignment, member) -> bool:
    """Hand in work: the cohort's students while it is not archived (the dates are
    ``assignments.status``'s to judge)."""
    return member is not None and not member.is_lecturer and assignment.cohort.archived_at is None


def can_view_submission(user, submission, member, coordinated=frozenset()) -> bool:
    """The student's own; the cohort's lecturers; the cohort's students when the assignment lets
    peers read (handed-in work only); the coordinators of a linked circle the student is in, when
    the cohort allows it (``coordinated`` holds the ids of such circles the student is in)."""
    if user.is_authenticated and submission.student_id == user.id:
        return True
    if member is not None:
        if member.is_lecturer:
            return True
        return submission.assignment.peers_can_read and not submission.is_draft
    cohort = submission.assignment.cohort
    return (
        cohort.coordinators_see_submissions and not submission.is_draft and bool(coordinated)
    )


def can_edit_submission(user, submission, member) -> bool:
    """The student, while it is a draft."""
    return user.is_authenticated and submission.student_id == user.id and submission.is_draft


def can_give_feedback(user, submission, member) -> bool:
    return can_teach_cohort(user, submission.assignment.cohort, member) and not submission.is_draft
