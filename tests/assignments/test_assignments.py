"""Setting assignments, their page, extensions and the student's page of their assignments."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from leerkring.assignments import assignments as views
from leerkring.assignments.models import Assignment, Extension, Outcome, SubmissionKind
from leerkring.assignments.queries import attended_counts
from leerkring.extensions import db
from leerkring.meetings.models import Attendance, CheckInMethod, MeetingStatus
from leerkring.models import FieldRole
from tests import factories as f

EN = {"Accept-Language": "en"}
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def login(client, login):
    """Signs out whoever was signed in first."""

    def switch(user):
        client.post("/account/logout")
        return login(user)

    return switch


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(views, "clock", lambda: NOW)
    return NOW


def setting():
    lecturer = f.make_user(field_role=FieldRole.LECTURER, name="Docent Dekker")
    student = f.make_user(field_role=FieldRole.STUDENT, name="Sanne Student")
    peer = f.make_user(field_role=FieldRole.STUDENT, name="Pim Peer")
    circle = f.make_circle(members=[student, peer], name="Leerkring Wijkteam")
    cohort = f.make_cohort(lecturer, students=[student, peer], circles=[circle])
    return lecturer, student, peer, circle, cohort


def form_data(**kw):
    data = {
        "title": "Observeer een bijeenkomst",
        "instructions": "Beschrijf **wat** je zag.",
        "kind": "text",
        "reflection_template": "",
        "meetings_required": "",
        "circle_id": "",
        "meeting_id": "",
        "opens_on": "2027-03-01", "opens_time": "09:00",
        "due_on": "2027-03-15", "due_time": "23:59",
        "cutoff_on": "", "cutoff_time": "",
    }
    data.update(kw)
    return data


def only_assignment(cohort) -> Assignment:
    return db.session.execute(
        sa.select(Assignment).where(Assignment.cohort_id == cohort.id)
    ).scalar_one()


# Setting an assignment ------------------------------------------------------------------------


def test_a_lecturer_sets_an_assignment_in_local_time(client, login):
    lecturer, _student, _peer, circle, cohort = setting()
    login(lecturer)
    page = client.get(f"/cohorts/{cohort.id}/assignments/new", headers=EN)
    assert "New assignment" in page.text and "Leerkring Wijkteam" in page.text
    response = client.post(f"/cohorts/{cohort.id}/assignments/new", data=form_data(
        kind="reflection", reflection_template="gibbs", circle_id=str(circle.id),
        cutoff_on="2027-03-29", cutoff_time="12:00", peers_can_read="y"))
    assert response.status_code == 303
    assignment = only_assignment(cohort)
    assert response.headers["Location"] == f"/assignments/{assignment.id}"
    assert assignment.kind == SubmissionKind.REFLECTION
    assert assignment.reflection_template == "gibbs"
    assert assignment.circle_id == circle.id and assignment.peers_can_read
    assert assignment.opens_at == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # CET
    assert assignment.due_at == datetime(2027, 3, 15, 22, 59, tzinfo=UTC)
    assert assignment.cutoff_at == datetime(2027, 3, 29, 10, 0, tzinfo=UTC)  # CEST
    assert assignment.created_by_id == lecturer.id


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": ""}, "title", "Give the assignment a title."),
    ({"kind": "reflection"}, "reflection_template", "Choose the template to follow."),
    ({"kind": "case"}, "circle_id", "Choose the circle where this takes place."),
    ({"kind": "attendance", "circle_id": "CIRCLE"}, "meetings_required",
     "Say how many meetings to attend."),
    ({"due_on": "2027-02-20"}, "due_on", "The due date must be after the open date."),
    ({"cutoff_on": "2027-03-14", "cutoff_time": "12:00"}, "cutoff_on",
     "The cut-off must be after the due date."),
    ({"cutoff_on": "2027-03-20"}, "cutoff_time", "Give both a date and a time for the cut-off"),
    ({"due_time": "02:30", "due_on": "2027-03-28"}, "due_time", "This time does not exist"),
    ({"opens_on": "morgen"}, "opens_on", "Enter a date, such as 2026-03-29."),
    ({"circle_id": "999999"}, "circle_id", "Choose one of the cohort's circles."),
])
def test_the_form_shows_errors_next_to_fields_and_keeps_input(client, login, changes, field,
                                                              message):
    lecturer, _student, _peer, circle, cohort = setting()
    login(lecturer)
    changes = {k: (str(circle.id) if v == "CIRCLE" else v) for k, v in changes.items()}
    response = client.post(f"/cohorts/{cohort.id}/assignments/new",
                           data=form_data(instructions="Mijn eigen tekst", **changes), headers=EN)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    error = response.text.split(f'id="{field}-error"')[1].split("</small>")[0]
    assert message in error
    assert "Mijn eigen tekst" in response.text
    for name, value in changes.items():
        if value and name != "circle_id":
            assert value in response.text
    assert db.session.execute(sa.select(sa.func.count(Assignment.id))).scalar() == 0


def test_a_meeting_must_belong_to_the_chosen_circle_and_sets_the_circle(client, login):
    lecturer, _student, _peer, circle, cohort = setting()
    other = f.make_circle(name="Leerkring Jeugd")
    cohort.circles.append(other)
    db.session.commit()
    meeting = f.make_meeting(circle, title="Casusbespreking maart")
    login(lecturer)
    response = client.post(f"/cohorts/{cohort.id}/assignments/new", headers=EN, data=form_data(
        kind="case", circle_id=str(other.id), meeting_id=str(meeting.id)))
    assert response.status_code == 422
    assert "Choose a meeting of the chosen circle." in response.text
    response = client.post(f"/cohorts/{cohort.id}/assignments/new",
                           data=form_data(kind="case", meeting_id=str(meeting.id)))
    assert response.status_code == 303
    assignment = only_assignment(cohort)
    assert (assignment.circle_id, assignment.meeting_id) == (circle.id, meeting.id)


def test_editing_shows_the_local_times_and_saves(client, login):
    lecturer, _student, _peer, circle, cohort = setting()
    assignment = f.make_assignment(cohort, opens_at=datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
                                   due_at=datetime(2027, 3, 15, 22, 59, tzinfo=UTC),
                                   cutoff_at=None)
    login(lecturer)
    page = client.get(f"/assignments/{assignment.id}/edit").text
    assert 'value="2027-03-01"' in page and 'value="09:00"' in page and 'value="23:59"' in page
    response = client.post(f"/assignments/{assignment.id}/edit", data=form_data(
        title="Bezoek drie bijeenkomsten", kind="attendance", meetings_required="3",
        circle_id=str(circle.id)))
    assert response.status_code == 303
    db.session.refresh(assignment)
    assert assignment.title == "Bezoek drie bijeenkomsten"
    assert (assignment.kind, assignment.meetings_required) == (SubmissionKind.ATTENDANCE, 3)


def test_only_the_cohorts_lecturers_set_and_edit_assignments(client, login):
    lecturer, student, _peer, _circle, cohort = setting()
    assignment = f.make_assignment(cohort)
    other_lecturer = f.make_user(field_role=FieldRole.LECTURER)
    f.make_cohort(other_lecturer)
    urls = [f"/cohorts/{cohort.id}/assignments/new", f"/assignments/{assignment.id}/edit",
            f"/assignments/{assignment.id}/extensions"]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    for user in (student, other_lecturer, f.make_admin()):
        login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    login(lecturer)
    for url in urls:
        assert client.get(url).status_code == 200


# The assignment's page ------------------------------------------------------------------------


def test_the_page_shows_dates_instructions_and_the_students_standing(client, login,
                                                                     fixed_clock):
    lecturer, student, _peer, _circle, cohort = setting()
    assignment = f.make_assignment(
        cohort, title="Observeer een bijeenkomst", instructions="Let op **de stiltes**.",
        opens_at=NOW - 9 * DAY, due_at=datetime(2027, 3, 15, 22, 59, tzinfo=UTC),
        cutoff_at=None)
    login(student)
    page = client.get(f"/assignments/{assignment.id}", headers=EN).text
    assert "<strong>de stiltes</strong>" in page
    assert "15 March 2027, 23:59" in page  # in the viewer's zone (Europe/Amsterdam)
    assert "Not started" in page and "hand it in before the due date" in page
    assert "Edit the assignment" not in page
    login(lecturer)
    page = client.get(f"/assignments/{assignment.id}", headers=EN).text
    assert "Edit the assignment" in page and "Extensions" in page
    assert "Where you stand" not in page


def test_outsiders_do_not_see_an_assignment(client, login):
    _lecturer, _student, _peer, circle, cohort = setting()
    assignment = f.make_assignment(cohort)
    coordinator = f.make_user()
    f.add_member(circle, coordinator)
    for user in (f.make_user(), coordinator):
        login(user)
        assert client.get(f"/assignments/{assignment.id}").status_code == 404
    assert client.get("/assignments/999999").status_code == 404


def test_the_page_in_dutch(client, login, fixed_clock):
    _lecturer, student, _peer, _circle, cohort = setting()
    assignment = f.make_assignment(cohort, opens_at=NOW - DAY, due_at=NOW - 2 * 60 * 60 * DAY / 24,
                                   cutoff_at=NOW + DAY)
    login(student)
    page = client.get(f"/assignments/{assignment.id}").text
    assert '<html lang="nl">' in page
    assert "Waar je staat" in page and "Lever nu in" in page


# Extensions -----------------------------------------------------------------------------------


def test_an_extension_changes_where_the_student_stands_and_can_be_removed(client, login,
                                                                          fixed_clock):
    lecturer, student, peer, _circle, cohort = setting()
    assignment = f.make_assignment(cohort, opens_at=NOW - 20 * DAY, due_at=NOW - 10 * DAY,
                                   cutoff_at=NOW - 3 * DAY)
    login(student)
    assert "Missed" in client.get(f"/assignments/{assignment.id}", headers=EN).text
    login(lecturer)
    page = client.get(f"/assignments/{assignment.id}/extensions", headers=EN).text
    assert "No extensions yet." in page and "Sanne Student" in page
    response = client.post(f"/assignments/{assignment.id}/extensions", data={
        "student_id": str(student.id), "due_on": "2027-03-20", "due_time": "17:00",
        "cutoff_on": "", "cutoff_time": ""})
    assert response.status_code == 303
    extension = db.session.execute(sa.select(Extension)).scalar_one()
    assert extension.due_at == datetime(2027, 3, 20, 16, 0, tzinfo=UTC)
    assert extension.cutoff_at is None and extension.granted_by_id == lecturer.id
    page = client.get(f"/assignments/{assignment.id}/extensions", headers=EN).text
    assert "Remove the extension of Sanne Student" in page
    login(student)
    page = client.get(f"/assignments/{assignment.id}", headers=EN).text
    assert "Not started" in page and "Due (your extension)" in page
    login(peer)
    assert "Missed" in client.get(f"/assignments/{assignment.id}", headers=EN).text
    login(lecturer)
    client.post(f"/assignments/{assignment.id}/extensions/{extension.id}/remove")
    assert db.session.execute(sa.select(Extension)).scalar() is None
    login(student)
    assert "Missed" in client.get(f"/assignments/{assignment.id}", headers=EN).text


def test_the_extension_form_shows_errors_and_keeps_input(client, login):
    lecturer, _student, _peer, _circle, cohort = setting()
    outsider = f.make_user()
    assignment = f.make_assignment(cohort)
    login(lecturer)
    response = client.post(f"/assignments/{assignment.id}/extensions", headers=EN, data={
        "student_id": str(outsider.id), "due_on": "2027-03-20", "due_time": "17:00",
        "cutoff_on": "2027-03-19", "cutoff_time": "17:00"})
    assert response.status_code == 422
    assert "Choose a student of this cohort." in response.text
    assert "The cut-off must be after the due date." in response.text
    assert 'value="2027-03-19"' in response.text
    assert db.session.execute(sa.select(Extension)).scalar() is None


def test_extensions_of_another_assignment_cannot_be_removed(client, login):
    lecturer, student, _peer, _circle, cohort = setting()
    one, two = f.make_assignment(cohort), f.make_assignment(cohort)
    extension = Extension(assignment_id=one.id, student_id=student.id, due_at=one.due_at)
    db.session.add(extension)
    db.session.commit()
    login(lecturer)
    assert client.post(f"/assignments/{two.id}/extensions/{extension.id}/remove").status_code \
        == 404
    login(student)
    assert client.post(f"/assignments/{one.id}/extensions/{extension.id}/remove").status_code \
        == 403


# Attendance -----------------------------------------------------------------------------------


def attend(meeting, user, present=True):
    db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, is_present=present,
                              method=CheckInMethod.COORDINATOR))
    db.session.commit()


def test_attendance_assignments_fill_themselves_from_meeting_attendance(client, login,
                                                                       fixed_clock):
    _lecturer, student, peer, circle, cohort = setting()
    other_circle = f.make_circle(members=[student])
    assignment = f.make_assignment(cohort, kind=SubmissionKind.ATTENDANCE, meetings_required=2,
                                   circle_id=circle.id, opens_at=NOW - 30 * DAY,
                                   due_at=NOW + 10 * DAY)
    before = f.make_meeting(circle, starts_at=NOW - 40 * DAY)
    first = f.make_meeting(circle, starts_at=NOW - 20 * DAY)
    absent = f.make_meeting(circle, starts_at=NOW - 10 * DAY)
    cancelled = f.make_meeting(circle, starts_at=NOW - 5 * DAY, status=MeetingStatus.CANCELLED)
    elsewhere = f.make_meeting(other_circle, starts_at=NOW - 5 * DAY)
    for meeting in (before, first, cancelled, elsewhere):
        attend(meeting, student)
    attend(absent, student, present=False)
    attend(first, peer)
    assert attended_counts([student.id, peer.id], [assignment], NOW) == {
        (student.id, assignment.id): 1, (peer.id, assignment.id): 1}
    login(student)
    page = client.get("/assignments/", headers=EN).text
    assert "1 of 2 meetings" in page and "Not started" in page
    second = f.make_meeting(circle, starts_at=NOW - 2 * DAY)
    attend(second, student)
    page = client.get("/assignments/", headers=EN).text
    assert "2 of 2 meetings" in page and "Handed in" in page
    assert "Done: you attended enough meetings." in page
    page = client.get(f"/assignments/{assignment.id}", headers=EN).text
    assert "You attended 2 of 2 meetings." in page


# The student's page ---------------------------------------------------------------------------


def statuses_setting():
    """One assignment per status, for one student, around NOW."""
    lecturer, student, peer, circle, cohort = setting()
    titles = {}

    def assignment(title, **kw):
        kw.setdefault("opens_at", NOW - 20 * DAY)
        titles[title] = f.make_assignment(cohort, title=title, **kw)
        return titles[title]

    assignment("A niet open", opens_at=NOW + DAY, due_at=NOW + 30 * DAY)
    assignment("B niet begonnen", due_at=NOW + 5 * DAY)
    f.make_submission(assignment("C concept", due_at=NOW + 6 * DAY), student, submitted_at=None)
    f.make_submission(assignment("D ingeleverd", due_at=NOW + 7 * DAY), student,
                      submitted_at=NOW - DAY)
    f.make_submission(assignment("E te laat", due_at=NOW - 2 * DAY), student,
                      submitted_at=NOW - DAY, is_late=True)
    f.make_submission(assignment("F feedback", due_at=NOW - 3 * DAY), student,
                      submitted_at=NOW - 4 * DAY, feedback="Goed", outcome=Outcome.SUFFICIENT,
                      feedback_at=NOW - DAY)
    resubmit = assignment("G opnieuw", due_at=NOW - 4 * DAY)
    f.make_submission(resubmit, student, submitted_at=NOW - 5 * DAY, feedback="Nog eens",
                      outcome=Outcome.RESUBMIT, feedback_at=NOW - 2 * DAY)
    assignment("H over tijd", due_at=NOW - 5 * DAY, cutoff_at=NOW + DAY)
    assignment("I gemist", due_at=NOW - 6 * DAY, cutoff_at=NOW - DAY)
    return lecturer, student, peer, cohort, titles


def test_the_students_page_shows_every_status_and_next_step(client, login, fixed_clock):
    _lecturer, student, _peer, _cohort, _titles = statuses_setting()
    login(student)
    page = client.get("/assignments/", headers=EN).text
    rows = page.split("<tbody>")[1].split("</tr>")
    expected = [
        ("I gemist", "Missed", "Ask your lecturer for an extension."),
        ("H over tijd", "Overdue", "will be marked late"),
        ("G opnieuw", "Hand in again", "hand in a new attempt"),
        ("F feedback", "Feedback received", "Read the feedback."),
        ("E te laat", "Handed in late", "Wait for your lecturer"),
        ("B niet begonnen", "Not started", "before the due date"),
        ("C concept", "Draft", "Finish your draft"),
        ("D ingeleverd", "Handed in", "Wait for your lecturer"),
        ("A niet open", "Not open yet", "Wait until it opens."),
    ]
    for row, (title, label, step) in zip(rows, expected, strict=False):
        assert title in row and f">{label}</span>" in row and step in row, (title, row)


def test_the_students_page_in_dutch_and_ordered_by_the_extended_due_date(client, login,
                                                                        fixed_clock):
    _lecturer, student, _peer, _cohort, titles = statuses_setting()
    late = titles["I gemist"]
    db.session.add(Extension(assignment_id=late.id, student_id=student.id,
                             due_at=NOW + 40 * DAY))
    db.session.commit()
    login(student)
    page = client.get("/assignments/").text
    assert "Mijn praktijkopdrachten" in page
    assert page.index("A niet open") < page.index("I gemist")
    assert "Gemist" not in page


def test_a_lecturer_sees_the_cohorts_assignments_and_others_see_none(client, login):
    lecturer, _student, _peer, _circle, cohort = setting()
    f.make_assignment(cohort, title="Interview een professional")
    login(lecturer)
    page = client.get("/assignments/", headers=EN).text
    assert "Interview een professional" in page and "You teach this cohort" in page
    assert 'href="/assignments/"' in page  # the navigation link
    outsider = f.make_user()
    login(outsider)
    page = client.get("/assignments/", headers=EN).text
    assert "You have no assignments yet." in page
    assert 'href="/assignments/"' not in page


def test_the_students_page_runs_a_fixed_number_of_queries(client, login, count_queries,
                                                         fixed_clock):
    lecturer, student, peer, circle, cohort = setting()

    def add(n):
        for i in range(n):
            kind = SubmissionKind.ATTENDANCE if i % 3 == 0 else SubmissionKind.TEXT
            a = f.make_assignment(cohort, kind=kind, circle_id=circle.id, meetings_required=2,
                                  opens_at=NOW - 20 * DAY, due_at=NOW + i * DAY)
            if kind == SubmissionKind.TEXT:
                f.make_submission(a, student, submitted_at=NOW - DAY)
                f.make_submission(a, student, attempt=2, submitted_at=None)
            db.session.add(Extension(assignment_id=a.id, student_id=student.id,
                                     due_at=NOW + (i + 1) * DAY))
        db.session.commit()
        attend(f.make_meeting(circle, starts_at=NOW - n * DAY), student)

    add(2)
    login(student)
    with count_queries() as small:
        client.get("/assignments/", headers=EN)
    add(12)
    with count_queries() as large:
        page = client.get("/assignments/", headers=EN).text
    assert page.count("<tr>") > 10
    assert small.count == large.count


def test_the_nav_link_shows_for_lecturers_and_students_without_a_query(app, count_queries):
    from flask_login import login_user

    _lecturer, student, _peer, _circle, _cohort = setting()
    for user, expected in ((student, True), (f.make_user(field_role=FieldRole.LECTURER), True),
                           (f.make_admin(), True), (f.make_user(), False)):
        with app.test_request_context():
            login_user(user)
            with count_queries() as counter:
                assert views.shows_assignments() is expected
            assert counter.count == 0


def test_dates_are_chosen_in_amsterdam_across_daylight_saving():
    from leerkring.assignments.assignment_forms import instant

    assert instant(date(2027, 1, 10), time(12, 0)) == datetime(2027, 1, 10, 11, 0, tzinfo=UTC)
    assert instant(date(2027, 7, 10), time(12, 0)) == datetime(2027, 7, 10, 10, 0, tzinfo=UTC)
    assert instant(date(2027, 3, 28), time(2, 30)) is None
