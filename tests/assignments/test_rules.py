"""Who sees which submission: the student, the cohort's lecturers, peers when allowed, and the
praktijkbegeleiders of the cohort's circles when the cohort allows it."""

from leerkring.assignments.queries import coordinated_circle_ids, member_of
from leerkring.circles.models import CircleRole
from leerkring.models import FieldRole
from leerkring.permissions import (
    can_create_cohort,
    can_edit_submission,
    can_give_feedback,
    can_view_submission,
)
from tests import factories as f


def sees(user, submission) -> bool:
    cohort_id = submission.assignment.cohort_id
    coordinated = coordinated_circle_ids(user, cohort_id, submission.student_id)
    return can_view_submission(user, submission, member_of(user, cohort_id), coordinated)


def setting(peers=False, coordinators=False):
    lecturer = f.make_user(field_role=FieldRole.LECTURER)
    student, peer = f.make_user(field_role=FieldRole.STUDENT), f.make_user()
    begeleider = f.make_user()
    circle = f.make_circle(coordinator=begeleider, members=[student])
    cohort = f.make_cohort(lecturer, students=[student, peer], circles=[circle],
                           coordinators_see_submissions=coordinators)
    assignment = f.make_assignment(cohort, peers_can_read=peers)
    return lecturer, student, peer, begeleider, f.make_submission(assignment, student)


def test_only_lecturers_and_admins_create_cohorts(app):
    with app.test_request_context():
        assert can_create_cohort(f.make_user(field_role=FieldRole.LECTURER))
        assert can_create_cohort(f.make_admin())
        assert not can_create_cohort(f.make_user(field_role=FieldRole.STUDENT))


def test_the_student_and_the_lecturer_see_it_others_not(app):
    lecturer, student, peer, begeleider, submission = setting()
    with app.test_request_context():
        assert sees(student, submission) and sees(lecturer, submission)
        assert not sees(peer, submission)
        assert not sees(begeleider, submission)
        assert not sees(f.make_user(), submission)
        cohort_id = submission.assignment.cohort_id
        assert can_give_feedback(lecturer, submission, member_of(lecturer, cohort_id))
        assert not can_give_feedback(student, submission, member_of(student, cohort_id))


def test_peers_read_handed_in_work_when_the_assignment_allows_it(app):
    _lecturer, student, peer, _begeleider, submission = setting(peers=True)
    draft = f.make_submission(f.make_assignment(submission.assignment.cohort, peers_can_read=True),
                              student, submitted_at=None)
    with app.test_request_context():
        assert sees(peer, submission)
        assert not sees(peer, draft)
        assert can_edit_submission(student, draft, None)
        assert not can_edit_submission(student, submission, None)


def test_the_praktijkbegeleider_sees_it_only_when_the_cohort_allows(app):
    _lecturer, _student, _peer, begeleider, submission = setting(coordinators=True)
    with app.test_request_context():
        assert sees(begeleider, submission)
    outsider = f.make_user()
    f.add_member(submission.assignment.cohort.circles[0], outsider, role=CircleRole.MEMBER)
    with app.test_request_context():
        assert not sees(outsider, submission)
