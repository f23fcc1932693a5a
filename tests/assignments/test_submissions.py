"""Handing in work (drafts, late marks, the cut-off, extensions, the privacy guard, a new attempt
after "resubmit"), the submission page with its feedback and who may see it, and the lecturer's
grid with its CSV export."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.assignments.models import (
    CohortMember,
    CohortRole,
    Extension,
    Outcome,
    Submission,
    SubmissionKind,
)
from leerkring.extensions import db
from leerkring.meetings.models import Attendance, CheckInMethod
from leerkring.models import FieldRole
from leerkring.notes.models import PrivacyConfirmation, ReflectionTemplate
from tests import factories as f

EN = {"Accept-Language": "en"}
BSN = "123456782"
DAY = timedelta(days=1)


def now():
    return datetime.now(UTC)


def setting(**assignment):
    lecturer = f.make_user(field_role=FieldRole.LECTURER, name="Docent Dijkstra")
    student = f.make_user(field_role=FieldRole.STUDENT, name="Student Sanne")
    peer = f.make_user(field_role=FieldRole.STUDENT, name="Student Pieter")
    cohort = f.make_cohort(lecturer, students=[student, peer])
    return lecturer, student, peer, f.make_assignment(cohort, **assignment)


def attempts(assignment, student) -> list[Submission]:
    return list(db.session.execute(
        sa.select(Submission).where(Submission.assignment_id == assignment.id,
                                    Submission.student_id == student.id)
        .order_by(Submission.attempt)
    ).scalars())


@pytest.fixture
def login(client, login):
    """Signs in as ``user``, signing out whoever was signed in."""

    def switch(user):
        client.post("/account/logout")
        return login(user)

    return switch


def form_url(assignment) -> str:
    return f"/assignments/{assignment.id}/submission"


# Handing in -------------------------------------------------------------------------------------


def test_a_student_saves_a_draft_and_then_hands_it_in(client, login):
    _lecturer, student, _peer, assignment = setting()
    login(student)
    page = client.get(form_url(assignment), headers=EN)
    assert page.status_code == 200
    assert "Save draft" in page.text and "Hand in" in page.text

    draft = client.post(form_url(assignment), data={"body": "Eerste opzet.", "save_draft": "1"})
    assert draft.status_code == 303
    [saved] = attempts(assignment, student)
    assert saved.is_draft and saved.body == "Eerste opzet."
    assert "Eerste opzet." in client.get(form_url(assignment)).text

    handed = client.post(form_url(assignment),
                         data={"body": "Wat ik zag in de kring.", "hand_in": "1"})
    assert handed.headers["Location"] == f"/submissions/{saved.id}"
    [done] = attempts(assignment, student)
    assert done.id == saved.id and not done.is_draft and not done.is_late
    assert done.body == "Wat ik zag in de kring."
    page = client.get(f"/submissions/{done.id}", headers=EN)
    assert "Wat ik zag in de kring." in page.text and "On time" in page.text
    assert "No feedback yet." in page.text
    # Handed in, the form sends the student to their work.
    again = client.get(form_url(assignment))
    assert again.headers["Location"] == f"/submissions/{done.id}"


def test_the_text_must_be_written_and_passes_the_privacy_guard(client, login):
    _lecturer, student, _peer, assignment = setting()
    login(student)
    empty = client.post(form_url(assignment), data={"body": "", "hand_in": "1"}, headers=EN)
    assert empty.status_code == 422
    assert "Write your work before you save it." in empty.text

    refused = client.post(form_url(assignment), headers=EN,
                          data={"body": f"Zijn nummer is {BSN}.", "hand_in": "1"})
    assert refused.status_code == 422
    assert "is a citizen service number (BSN)" in refused.text
    assert f"Zijn nummer is {BSN}." in refused.text
    assert attempts(assignment, student) == []

    phone = {"body": "Ik belde haar op 06-12345678.", "hand_in": "1"}
    unconfirmed = client.post(form_url(assignment), data=phone, headers=EN)
    assert unconfirmed.status_code == 422
    assert "<mark>06-12345678</mark>" in unconfirmed.text
    assert "The privacy guard found a phone number" in unconfirmed.text
    assert attempts(assignment, student) == []

    confirmed = client.post(form_url(assignment), data={**phone, "pseudonymised": "y"})
    assert confirmed.status_code == 303
    [done] = attempts(assignment, student)
    assert not done.is_draft
    confirmation = db.session.execute(sa.select(PrivacyConfirmation)).scalar_one()
    assert (confirmation.subject_type, confirmation.subject_id) == ("submission", done.id)
    assert confirmation.kinds == "phone"


def test_work_after_the_due_date_is_marked_late(client, login):
    _lecturer, student, _peer, assignment = setting(
        opens_at=now() - 5 * DAY, due_at=now() - DAY, cutoff_at=now() + 5 * DAY)
    login(student)
    client.post(form_url(assignment), data={"body": "Te laat, maar af.", "hand_in": "1"})
    [done] = attempts(assignment, student)
    assert done.is_late
    page = client.get(f"/submissions/{done.id}", headers=EN)
    assert "Late" in page.text and "On time" not in page.text


def test_after_the_cut_off_it_is_refused_and_the_text_kept(client, login):
    _lecturer, student, _peer, assignment = setting(
        opens_at=now() - 10 * DAY, due_at=now() - 5 * DAY, cutoff_at=now() - DAY)
    login(student)
    response = client.post(form_url(assignment), headers=EN,
                           data={"body": "Mijn verslag.", "hand_in": "1"})
    assert response.status_code == 422
    assert "The cut-off date has passed" in response.text
    assert "Mijn verslag." in response.text
    assert attempts(assignment, student) == []


def test_an_extension_lets_the_student_hand_in_on_time_after_the_cut_off(client, login):
    lecturer, student, _peer, assignment = setting(
        opens_at=now() - 10 * DAY, due_at=now() - 5 * DAY, cutoff_at=now() - DAY)
    db.session.add(Extension(assignment_id=assignment.id, student_id=student.id,
                             due_at=now() + DAY, cutoff_at=now() + 3 * DAY,
                             granted_by_id=lecturer.id))
    db.session.commit()
    login(student)
    response = client.post(form_url(assignment), data={"body": "Met uitstel.", "hand_in": "1"})
    assert response.status_code == 303
    [done] = attempts(assignment, student)
    assert not done.is_draft and not done.is_late


def test_nothing_is_handed_in_before_the_open_date(client, login):
    _lecturer, student, _peer, assignment = setting(opens_at=now() + DAY)
    login(student)
    page = client.get(form_url(assignment), headers=EN)
    assert "This assignment is not open yet" in page.text
    assert "Hand in</button>" not in page.text and 'name="hand_in"' not in page.text
    response = client.post(form_url(assignment), data={"body": "Vroeg.", "hand_in": "1"},
                           headers=EN)
    assert response.status_code == 422
    assert attempts(assignment, student) == []


def test_a_reflection_assignment_takes_one_of_the_students_own_reflections(client, login):
    _lecturer, student, peer, assignment = setting(
        kind=SubmissionKind.REFLECTION, reflection_template=ReflectionTemplate.GIBBS)
    mine = f.make_reflection(student, template=ReflectionTemplate.GIBBS, title="Mijn Gibbs",
                             parts={"description": "De groep zweeg lang."}, prompt="")
    f.make_reflection(student, title="Vrije reflectie")
    theirs = f.make_reflection(peer, template=ReflectionTemplate.GIBBS, title="Andermans Gibbs",
                               prompt="")
    login(student)
    page = client.get(form_url(assignment), headers=EN)
    assert "Mijn Gibbs" in page.text
    assert "Vrije reflectie" not in page.text and "Andermans Gibbs" not in page.text
    assert "/reflections/new?template=gibbs" in page.text

    wrong = client.post(form_url(assignment), headers=EN,
                        data={"choice": str(theirs.id), "hand_in": "1"})
    assert wrong.status_code == 422 and "Choose one of your reflections." in wrong.text
    client.post(form_url(assignment), data={"choice": str(mine.id), "hand_in": "1"})
    [done] = attempts(assignment, student)
    assert done.reflection_id == mine.id and not done.is_draft
    page = client.get(f"/submissions/{done.id}", headers=EN)
    assert "Mijn Gibbs" in page.text and "De groep zweeg lang." in page.text


def test_a_case_assignment_takes_one_of_the_students_cases_in_its_circle(client, login):
    lecturer = f.make_user(field_role=FieldRole.LECTURER)
    student = f.make_user(field_role=FieldRole.STUDENT)
    circle, elsewhere = f.make_circle(members=[student]), f.make_circle(members=[student])
    cohort = f.make_cohort(lecturer, students=[student], circles=[circle])
    assignment = f.make_assignment(cohort, kind=SubmissionKind.CASE, circle_id=circle.id)
    case = f.make_case(circle, student, title="Mevrouw aan de deur")
    f.make_case(elsewhere, student, title="Casus elders")
    login(student)
    page = client.get(form_url(assignment), headers=EN)
    assert "Mevrouw aan de deur" in page.text and "Casus elders" not in page.text
    client.post(form_url(assignment), data={"choice": str(case.id), "save_draft": "1"})
    [draft] = attempts(assignment, student)
    assert draft.case_id == case.id and draft.is_draft


def test_only_the_cohorts_students_hand_in(client, login):
    lecturer, _student, _peer, assignment = setting()
    login(lecturer)
    assert client.get(form_url(assignment)).status_code == 404
    login(f.make_user())
    assert client.post(form_url(assignment), data={"body": "x", "hand_in": "1"}).status_code \
        == 404
    assert db.session.execute(sa.select(sa.func.count(Submission.id))).scalar() == 0


# Feedback and the next attempt ------------------------------------------------------------------


def test_the_lecturer_gives_feedback_and_the_student_reads_it(client, login):
    lecturer, student, _peer, assignment = setting()
    submission = f.make_submission(assignment, student, body="Mijn observatie.")
    login(lecturer)
    page = client.get(f"/submissions/{submission.id}", headers=EN)
    assert "Mijn observatie." in page.text and "Give feedback" in page.text
    invalid = client.post(f"/submissions/{submission.id}/feedback", headers=EN,
                          data={"feedback": "", "outcome": ""})
    assert invalid.status_code == 422
    assert "Write your feedback." in invalid.text and "Choose an outcome." in invalid.text
    response = client.post(f"/submissions/{submission.id}/feedback",
                           data={"feedback": "Sterk waargenomen.", "outcome": "sufficient"})
    assert response.status_code == 303
    db.session.refresh(submission)
    assert submission.feedback == "Sterk waargenomen."
    assert submission.outcome == Outcome.SUFFICIENT
    assert submission.feedback_by_id == lecturer.id and submission.feedback_at is not None

    login(student)
    page = client.get(f"/submissions/{submission.id}", headers=EN)
    assert "Sterk waargenomen." in page.text and "Sufficient" in page.text
    assert "Give feedback" not in page.text
    assert client.post(f"/submissions/{submission.id}/feedback",
                       data={"feedback": "Zelf goed.", "outcome": "sufficient"}).status_code \
        == 403


def test_feedback_passes_the_privacy_guard(client, login):
    lecturer, student, _peer, assignment = setting()
    submission = f.make_submission(assignment, student, body="Mijn observatie.")
    login(lecturer)
    url = f"/submissions/{submission.id}/feedback"
    refused = client.post(url, headers=EN, data={"feedback": f"Haal {BSN} weg.",
                                                 "outcome": "resubmit"})
    assert refused.status_code == 422
    assert "is a citizen service number (BSN)" in refused.text
    assert f"Haal {BSN} weg." in refused.text
    phone = {"feedback": "Bel de cliënt niet op 06-12345678.", "outcome": "sufficient"}
    unconfirmed = client.post(url, headers=EN, data=phone)
    assert unconfirmed.status_code == 422
    assert "The privacy guard found a phone number" in unconfirmed.text
    db.session.refresh(submission)
    assert submission.feedback == "" and submission.feedback_at is None
    assert client.post(url, data={**phone, "pseudonymised": "y"}).status_code == 303
    confirmation = db.session.execute(sa.select(PrivacyConfirmation)).scalar_one()
    assert (confirmation.subject_type, confirmation.subject_id) == ("feedback", submission.id)


def test_no_feedback_on_a_draft(client, login):
    lecturer, student, _peer, assignment = setting()
    draft = f.make_submission(assignment, student, submitted_at=None)
    login(lecturer)
    assert "Give feedback" not in client.get(f"/submissions/{draft.id}", headers=EN).text
    response = client.post(f"/submissions/{draft.id}/feedback",
                           data={"feedback": "Te vroeg.", "outcome": "sufficient"})
    assert response.status_code == 403


def test_after_resubmit_the_student_hands_in_a_second_attempt(client, login):
    lecturer, student, _peer, assignment = setting(
        opens_at=now() - 10 * DAY, due_at=now() - 5 * DAY, cutoff_at=now() - DAY)
    first = f.make_submission(assignment, student, body="Eerste poging.",
                              submitted_at=now() - 6 * DAY)
    login(lecturer)
    client.post(f"/submissions/{first.id}/feedback",
                data={"feedback": "Werk de analyse uit.", "outcome": "resubmit"})
    login(student)
    page = client.get(f"/submissions/{first.id}", headers=EN)
    assert "Start attempt 2" in page.text
    form = client.get(form_url(assignment), headers=EN)
    assert form.status_code == 200 and "Attempt 2" in form.text
    # After the cut-off, but the lecturer asked for it: accepted, and not late.
    client.post(form_url(assignment), data={"body": "Tweede poging.", "hand_in": "1"})
    one, two = attempts(assignment, student)
    assert (one.id, one.body) == (first.id, "Eerste poging.")
    assert (two.attempt, two.body, two.is_draft, two.is_late) == (2, "Tweede poging.", False,
                                                                   False)
    page = client.get(f"/submissions/{two.id}", headers=EN)
    assert f'href="/submissions/{first.id}"' in page.text and "Attempt 2" in page.text


# Who sees a submission --------------------------------------------------------------------------


def test_who_sees_a_submission(client, login):
    lecturer = f.make_user(field_role=FieldRole.LECTURER)
    student, peer = f.make_user(), f.make_user()
    begeleider = f.make_user()
    circle = f.make_circle(coordinator=begeleider, members=[student])
    cohort = f.make_cohort(lecturer, students=[student, peer], circles=[circle])
    closed = f.make_submission(f.make_assignment(cohort), student, body="Alleen voor de docent.")
    open_ = f.make_submission(f.make_assignment(cohort, peers_can_read=True), student,
                              body="Voor de hele groep.")
    draft = f.make_submission(f.make_assignment(cohort, peers_can_read=True), student,
                              submitted_at=None, body="Nog niet af.")

    def status_of(user, submission):
        login(user)
        response = client.get(f"/submissions/{submission.id}")
        if response.status_code == 200:
            assert submission.body in response.text
        else:
            assert submission.body not in response.text
        return response.status_code

    assert status_of(student, closed) == 200 and status_of(student, draft) == 200
    assert status_of(lecturer, closed) == 200
    assert status_of(peer, closed) == 404 and status_of(peer, open_) == 200
    assert status_of(peer, draft) == 404
    assert status_of(begeleider, closed) == 404
    assert status_of(f.make_user(), open_) == 404
    cohort.coordinators_see_submissions = True
    db.session.commit()
    assert status_of(begeleider, closed) == 200 and status_of(begeleider, draft) == 404
    client.post("/account/logout")
    assert client.get(f"/submissions/{closed.id}").headers["Location"].startswith(
        "/account/login")


# The submission box -----------------------------------------------------------------------------


def test_the_submission_box_says_where_the_student_stands(app):
    from flask import render_template

    from leerkring.assignments.submissions import box_context

    lecturer, student, _peer, assignment = setting()
    with app.test_request_context(headers=EN):
        html = render_template("assignments/_submission_box.html",
                               **box_context(assignment, student.id))
        assert "Not started" in html and f"/assignments/{assignment.id}/submission" in html
    submission = f.make_submission(assignment, student, feedback="Goed.",
                                   outcome=Outcome.SUFFICIENT, feedback_at=now(),
                                   feedback_by_id=lecturer.id)
    with app.test_request_context(headers=EN):
        html = render_template("assignments/_submission_box.html",
                               **box_context(assignment, student.id))
        assert 'id="submission-box"' in html
        assert "Feedback received" in html and "Read the feedback" in html
        assert f"/submissions/{submission.id}" in html


# The grid ---------------------------------------------------------------------------------------


def grid_setting(students=2, attendance=False):
    """Each student handed in the first assignment late (with an extension) and has a draft of
    the second; with ``attendance``, a third asks for one meeting, which every student attended."""
    lecturer = f.make_user(field_role=FieldRole.LECTURER)
    people = [f.make_user(name=f"Student {n:02d}") for n in range(students)]
    circle = f.make_circle(members=people)
    cohort = f.make_cohort(lecturer, students=people, circles=[circle])
    if attendance:
        f.make_assignment(cohort, title="Aanwezig", kind=SubmissionKind.ATTENDANCE,
                          meetings_required=1, circle_id=circle.id, opens_at=now() - 10 * DAY,
                          due_at=now() + 30 * DAY, cutoff_at=None)
        meeting = f.make_meeting(circle, starts_at=now() - 2 * DAY)
        for person in people:
            db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id,
                                      method=CheckInMethod.COORDINATOR))
    early = f.make_assignment(cohort, title="Observeren", opens_at=now() - 10 * DAY,
                              due_at=now() - 5 * DAY, cutoff_at=now() + 5 * DAY)
    later = f.make_assignment(cohort, title="=Casus inbrengen")
    for person in people:
        f.make_submission(early, person, submitted_at=now() - DAY, is_late=True)
        f.make_submission(later, person, submitted_at=None)
        db.session.add(Extension(assignment_id=early.id, student_id=person.id,
                                 due_at=now() + DAY, granted_by_id=lecturer.id))
    db.session.commit()
    return lecturer, people, cohort, early, later


def test_the_grid_shows_each_students_status_with_late_marks_and_links(client, login):
    lecturer, people, cohort, early, later = grid_setting()
    sanne = f.make_user(name="Sanne Zonder Werk")
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=sanne.id))
    db.session.commit()
    submission = attempts(early, people[0])[0]
    login(lecturer)
    page = client.get(f"/cohorts/{cohort.id}/grid", headers=EN)
    assert page.status_code == 200
    assert "Observeren" in page.text and "Student 00" in page.text
    assert "Sanne Zonder Werk" in page.text
    assert "Handed in late" in page.text and "Draft" in page.text and "Overdue" in page.text
    assert f'href="/submissions/{submission.id}"' in page.text


def test_attendance_assignments_count_the_meetings_attended(client, login):
    lecturer, _people, cohort, _early, _later = grid_setting(attendance=True)
    newcomer = f.make_user(name="Student Zonder Bijeenkomst")
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=newcomer.id))
    db.session.commit()
    login(lecturer)
    rows = list(csv.reader(io.StringIO(client.get(f"/cohorts/{cohort.id}/grid.csv",
                                                  headers=EN).text)))
    assert rows[0][2:] == ["Observeren", "'=Casus inbrengen", "Aanwezig"]
    column = rows[0].index("Aanwezig")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Student 00"][column] == "Handed in"
    assert by_name["Student Zonder Bijeenkomst"][column] == "Not started"


def test_only_the_lecturers_see_the_grid(client, login):
    _lecturer, people, cohort, _early, _later = grid_setting()
    login(people[0])
    assert client.get(f"/cohorts/{cohort.id}/grid").status_code == 404
    assert client.get(f"/cohorts/{cohort.id}/grid.csv").status_code == 404


def test_the_grid_runs_a_fixed_number_of_queries(client, login, count_queries):
    lecturer, _people, small, _early, _later = grid_setting(students=1, attendance=True)
    _other, _many, large, _e, _l = grid_setting(students=8, attendance=True)
    db.session.add(CohortMember(cohort_id=large.id, user_id=lecturer.id,
                                role=CohortRole.LECTURER))
    f.make_assignment(large)
    db.session.commit()
    login(lecturer)
    with count_queries() as few:
        assert client.get(f"/cohorts/{small.id}/grid").status_code == 200
    with count_queries() as many:
        assert client.get(f"/cohorts/{large.id}/grid").status_code == 200
    assert few.count == many.count


def test_the_grid_as_csv_in_the_users_language_with_formulas_defused(client, login):
    lecturer, people, cohort, _early, _later = grid_setting()
    people[0].name = "=HYPERLINK(1)"
    db.session.commit()
    login(lecturer)
    response = client.get(f"/cohorts/{cohort.id}/grid.csv", headers=EN)
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["Student", "E-mail address", "Observeren", "'=Casus inbrengen"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["'=HYPERLINK(1)"][2:] == ["Handed in late", "Draft"]


# In Dutch ---------------------------------------------------------------------------------------


def test_in_dutch(client, login):
    lecturer, people, cohort, early, _later = grid_setting()
    login(lecturer)
    grid = client.get(f"/cohorts/{cohort.id}/grid")
    assert "Te laat ingeleverd" in grid.text and "Concept" in grid.text
    rows = list(csv.reader(io.StringIO(client.get(f"/cohorts/{cohort.id}/grid.csv").text)))
    assert rows[1][2:] == ["Te laat ingeleverd", "Concept"]
    submission = attempts(early, people[0])[0]
    page = client.get(f"/submissions/{submission.id}")
    assert "Feedback geven" in page.text and "Te laat" in page.text
    client.post(f"/submissions/{submission.id}/feedback",
                data={"feedback": "Sterk.", "outcome": "sufficient"})
    login(people[1])
    closed = f.make_assignment(cohort, opens_at=now() - 10 * DAY, due_at=now() - 5 * DAY,
                               cutoff_at=now() - DAY)
    refused = client.post(form_url(closed), data={"body": "Mijn verslag.", "hand_in": "1"})
    assert "De sluitingsdatum is voorbij" in refused.text
    login(people[0])
    assert "Voldoende" in client.get(f"/submissions/{submission.id}").text
