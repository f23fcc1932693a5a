"""Assignment reminders: "due soon" and "overdue" only to the cohort's students who have not handed
in, following each student's own due date (an extension, a changed due date) without repeating
what did not change; "you have feedback" at once; the lecturer's digest line; mail in Dutch and
English with the title, the cohort and the due date, never the work nor the feedback."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from markupsafe import escape

from leerkring.assignments import assignment_services, cohort_services, reminders
from leerkring.assignments import submission_services as hand
from leerkring.assignments.models import (
    CohortInvitation,
    CohortMember,
    Outcome,
    SubmissionKind,
)
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.models import FieldRole
from leerkring.notifications.models import Channel, Delivery, DeliveryStatus
from leerkring.notifications.moments import instant_key
from leerkring.notifications.registry import KINDS, Scope
from tests import factories as f
from tests.meetings.reminder_helpers import EN, amsterdam, notices, tick

KINDS_HERE = ("assignment_due_soon", "assignment_overdue", "assignment_feedback")
OPENS = amsterdam(2026, 11, 1, 9, 0)
# Wednesday 10 March 2027, 17:00 in Amsterdam (16:00 UTC); the cut-off a week later.
DUE = amsterdam(2027, 3, 10, 17, 0)
CUTOFF = DUE + timedelta(days=7)
HOUR = timedelta(hours=1)
WORK = "Mevrouw De Vries vertelde over haar schulden bij de woningcorporatie"
FEEDBACK = "Goed gezien hoe je de stilte in het gesprek liet vallen"


@pytest.fixture
def people(app):
    """A lecturer, three students of the cohort (Anna, Bram, Cor) and Dirk in another cohort."""
    lecturer = f.make_user(field_role=FieldRole.LECTURER, name="Docent Dijkstra")
    anna, bram, cor, dirk = (f.make_user(field_role=FieldRole.STUDENT, name=name)
                             for name in ("Anna", "Bram", "Cor", "Dirk"))
    cohort = f.make_cohort(lecturer, students=[anna, bram, cor], name="SPH jaar 3, blok 2")
    f.make_cohort(lecturer, students=[dirk], name="SPH jaar 2")
    return lecturer, cohort, (anna, bram, cor, dirk)


def set_assignment(cohort, lecturer, **fields):
    """An assignment through the service (so its reminders are planned), committed."""
    fields = {"title": "Observeer een bijeenkomst", "instructions": "Kijk en luister.",
              "kind": SubmissionKind.TEXT, "opens_at": OPENS, "due_at": DUE,
              "cutoff_at": CUTOFF, "timezone": "Europe/Amsterdam", **fields}
    assignment = assignment_services.create_assignment(cohort, lecturer, fields)
    db.session.commit()
    return assignment


def hand_in(assignment, student, at=None):
    submission = hand.working_attempt(assignment, student.id)
    assert hand.hand_in(assignment, submission, {"body": WORK}, at=at) is None
    db.session.commit()
    return submission


def rows(kind, user=None, assignment=None, status=None, channel=Channel.EMAIL) -> list[Delivery]:
    db.session.expire_all()
    statement = sa.select(Delivery).where(
        Delivery.kind == kind, Delivery.subject_type == "assignment"
    ).order_by(Delivery.due_at, Delivery.id)
    for column, value in ((Delivery.user_id, getattr(user, "id", None)),
                          (Delivery.subject_id, getattr(assignment, "id", None)),
                          (Delivery.status, status), (Delivery.channel, channel)):
        if value is not None:
            statement = statement.where(column == value)
    return list(db.session.execute(statement).scalars())


def pending(kind, user=None, assignment=None) -> list[Delivery]:
    return rows(kind, user, assignment, DeliveryStatus.PENDING)


def recipients(kind, assignment) -> set[int]:
    return {row.user_id for row in pending(kind, assignment=assignment)}


def ids(*users) -> set[int]:
    return {user.id for user in users}


def mails_about(mailbox, assignment):
    return [m for m in mailbox.messages if assignment.title in m["Subject"]]


def subject(message) -> str:
    """The subject as written (a long one is folded in the header)."""
    return re.sub(" +", " ", message["Subject"])


def parts(message) -> list[str]:
    return [part.get_content() for part in message.walk()
            if part.get_content_maintype() == "text"]


# Due soon ---------------------------------------------------------------------------------------


def test_due_soon_48_hours_before_only_to_students_who_have_not_handed_in(people):
    lecturer, cohort, (anna, bram, cor, dirk) = people
    assignment = set_assignment(cohort, lecturer)
    hand_in(assignment, bram)
    draft = hand.working_attempt(assignment, cor.id)
    hand.save_draft(draft, {"body": WORK})
    db.session.commit()
    # Cor's draft is not handed in; the lecturer and Dirk (another cohort) hear nothing.
    assert recipients("assignment_due_soon", assignment) == ids(anna, cor)
    [row] = pending("assignment_due_soon", anna, assignment)
    assert (row.due_at, row.expires_at) == (DUE - timedelta(hours=48), DUE)
    assert row.occurrence_key == instant_key(DUE)
    assert len(rows("assignment_due_soon", anna, assignment, channel=None)) == 2  # mail, in-app


def test_handing_in_cancels_the_students_reminders(people):
    lecturer, cohort, (anna, *_) = people
    assignment = set_assignment(cohort, lecturer)
    assert pending("assignment_due_soon", anna, assignment)
    assert pending("assignment_overdue", anna, assignment)
    hand_in(assignment, anna)
    assert pending("assignment_due_soon", anna, assignment) == []
    assert pending("assignment_overdue", anna, assignment) == []
    [row] = rows("assignment_due_soon", anna, assignment)
    assert row.status == DeliveryStatus.CANCELLED


def test_an_extension_moves_the_students_due_soon_and_removing_it_moves_it_back(people):
    lecturer, cohort, (anna, bram, *_) = people
    assignment = set_assignment(cohort, lecturer)
    later = DUE + timedelta(days=5)
    extension = assignment_services.grant_extension(assignment, anna, later, later + 3 * HOUR * 24,
                                                    lecturer)
    db.session.commit()
    [row] = pending("assignment_due_soon", anna, assignment)
    assert (row.due_at, row.occurrence_key) == (later - timedelta(hours=48), instant_key(later))
    [overdue] = pending("assignment_overdue", anna, assignment)
    assert (overdue.due_at, overdue.expires_at) == (later + HOUR, later + timedelta(days=3))
    [old] = rows("assignment_due_soon", anna, assignment, DeliveryStatus.CANCELLED)
    assert old.occurrence_key == instant_key(DUE)
    [bram_row] = pending("assignment_due_soon", bram, assignment)
    assert bram_row.due_at == DUE - timedelta(hours=48)
    assignment_services.remove_extension(extension)
    db.session.commit()
    [row] = pending("assignment_due_soon", anna, assignment)
    assert row.occurrence_key == instant_key(DUE)
    assert len(rows("assignment_due_soon", anna, assignment)) == 2


def test_a_changed_due_date_plans_anew_and_the_old_reminder_is_gone(people):
    lecturer, cohort, (anna, *_) = people
    assignment = set_assignment(cohort, lecturer)
    new_due = DUE + timedelta(days=2)
    assignment_services.update_assignment(assignment, {"due_at": new_due})
    db.session.commit()
    [row] = pending("assignment_due_soon", anna, assignment)
    assert (row.due_at, row.occurrence_key) == (new_due - timedelta(hours=48),
                                                instant_key(new_due))
    statuses = {r.occurrence_key: r.status for r in rows("assignment_due_soon", anna, assignment)}
    assert statuses == {instant_key(DUE): DeliveryStatus.CANCELLED,
                        instant_key(new_due): DeliveryStatus.PENDING}
    # A change of the title alone changes nothing planned.
    assignment_services.update_assignment(assignment, {"title": "Observeer twee bijeenkomsten"})
    db.session.commit()
    assert [r.id for r in pending("assignment_due_soon", anna, assignment)] == [row.id]


def test_nothing_repeats_when_nothing_changed(people, mailbox):
    lecturer, cohort, (anna, *_) = people
    assignment = set_assignment(cohort, lecturer)
    reminders.replan([assignment.id])
    reminders.replan([assignment.id])
    db.session.commit()
    assert len(rows("assignment_due_soon", anna, assignment)) == 1
    moment = DUE - timedelta(hours=48)
    for minutes in (0, 5, 10):
        tick(moment + timedelta(minutes=minutes))
    reminders.replan([assignment.id])
    db.session.commit()
    tick(moment + timedelta(minutes=15))
    assert len([m for m in mails_about(mailbox, assignment) if m["To"] == anna.email]) == 1
    [row] = rows("assignment_due_soon", anna, assignment)
    assert row.status == DeliveryStatus.SENT


def test_an_assignment_opening_within_the_48_hours_is_reminded_of_when_it_opens(people):
    lecturer, cohort, (anna, *_) = people
    opens = DUE - timedelta(hours=20)
    assignment = set_assignment(cohort, lecturer, opens_at=opens)
    [row] = pending("assignment_due_soon", anna, assignment)
    assert (row.due_at, row.expires_at) == (opens, DUE)


def test_an_attendance_assignment_reminds_who_has_not_attended_enough(people):
    lecturer, cohort, (anna, bram, cor, _dirk) = people
    circle = f.make_circle(members=[anna, bram, cor])
    assignment = set_assignment(cohort, lecturer, kind=SubmissionKind.ATTENDANCE,
                                meetings_required=1, circle_id=circle.id,
                                opens_at=utcnow() - timedelta(days=10))
    meeting = f.make_meeting(circle, starts_at=utcnow() - timedelta(days=2))
    from leerkring.meetings.models import Attendance, CheckInMethod

    db.session.add(Attendance(meeting_id=meeting.id, user_id=bram.id, is_present=True,
                              method=CheckInMethod.COORDINATOR))
    db.session.commit()
    reminders.replan([assignment.id])
    db.session.commit()
    assert recipients("assignment_due_soon", assignment) == ids(anna, cor)


# Overdue ----------------------------------------------------------------------------------------


def test_overdue_an_hour_after_the_due_date_once_until_the_cutoff(people, mailbox):
    lecturer, cohort, (anna, bram, cor, _dirk) = people
    assignment = set_assignment(cohort, lecturer)
    hand_in(assignment, bram)
    assert recipients("assignment_overdue", assignment) == ids(anna, cor)
    [row] = pending("assignment_overdue", anna, assignment)
    assert (row.due_at, row.expires_at) == (DUE + HOUR, CUTOFF)
    assert row.occurrence_key == instant_key(DUE)
    for minutes in (0, 5, 60):
        tick(DUE + HOUR + timedelta(minutes=minutes))
    # "Due soon" was not sent late; "overdue" once.
    assert len([m for m in mailbox.to(anna.email) if assignment.title in m["Subject"]]) == 1
    assert [m for m in mailbox.to(bram.email) if assignment.title in m["Subject"]] == []
    [due_soon] = rows("assignment_due_soon", anna, assignment)
    [overdue] = rows("assignment_overdue", anna, assignment)
    assert (due_soon.status, overdue.status) == (DeliveryStatus.EXPIRED, DeliveryStatus.SENT)


def test_without_a_cutoff_overdue_makes_sense_for_seven_days(people):
    lecturer, cohort, (anna, *_) = people
    assignment = set_assignment(cohort, lecturer, cutoff_at=None)
    [row] = pending("assignment_overdue", anna, assignment)
    assert (row.due_at, row.expires_at) == (DUE + HOUR, DUE + timedelta(days=7))


def test_a_cutoff_at_the_due_date_leaves_no_overdue_reminder(people):
    lecturer, cohort, (anna, *_) = people
    assignment = set_assignment(cohort, lecturer, cutoff_at=DUE)
    assert pending("assignment_overdue", anna, assignment) == []
    assert pending("assignment_due_soon", anna, assignment)


# Feedback ---------------------------------------------------------------------------------------


def test_feedback_tells_the_student_at_once_in_app_and_by_mail(people, mailbox):
    lecturer, cohort, (anna, bram, *_) = people
    assignment = set_assignment(cohort, lecturer, opens_at=utcnow() - timedelta(days=1))
    submission = hand_in(assignment, anna)
    hand.give_feedback(submission, lecturer, FEEDBACK, Outcome.SUFFICIENT)
    db.session.commit()
    [row] = pending("assignment_feedback", anna, assignment)
    assert row.occurrence_key == instant_key(submission.feedback_at)
    assert row.due_at == submission.feedback_at
    assert recipients("assignment_feedback", assignment) == {anna.id}
    tick(utcnow() + timedelta(minutes=1))
    [notice] = notices(anna, "assignment_feedback")
    assert notice.url == f"/submissions/{submission.id}"
    assert notice.params["title"] == assignment.title
    assert notice.params["cohort"] == cohort.name
    assert FEEDBACK not in str(notice.params) and WORK not in str(notice.params)
    [mail] = [m for m in mailbox.to(anna.email) if assignment.title in m["Subject"]]
    for text in parts(mail):
        assert f"/submissions/{submission.id}" in text
        assert FEEDBACK not in text and WORK not in text
    # New feedback (given again) is a new notice; nothing more for the old one.
    hand.give_feedback(submission, lecturer, FEEDBACK + "!", Outcome.SUFFICIENT,
                       at=utcnow() + timedelta(minutes=2))
    db.session.commit()
    tick(utcnow() + timedelta(minutes=3))
    assert len(notices(anna, "assignment_feedback")) == 2


# Who: archived cohorts, joining and leaving ----------------------------------------------------


def test_an_archived_cohort_gets_no_reminders(people, mailbox):
    lecturer, cohort, (anna, *_) = people
    assignment = set_assignment(cohort, lecturer)
    assert pending("assignment_due_soon", anna, assignment)
    cohort.archived_at = utcnow()
    db.session.commit()
    # Even unreplanned, a pending reminder says nothing once the cohort is archived.
    tick(DUE - timedelta(hours=47))
    assert mails_about(mailbox, assignment) == []
    reminders.replan([assignment.id])
    db.session.commit()
    assert pending("assignment_overdue", anna, assignment) == []
    for name in KINDS_HERE:
        assert list(KINDS[name].due(Scope(utcnow(), None, [assignment.id]))) == []


def test_a_student_who_joins_is_planned_and_one_who_leaves_is_not(people):
    lecturer, cohort, (anna, bram, cor, dirk) = people
    assignment = set_assignment(cohort, lecturer)
    invitation = CohortInvitation(cohort_id=cohort.id, email=dirk.email, token_hash="x" * 64,
                                  invited_by_id=lecturer.id,
                                  expires_at=utcnow() + timedelta(days=3))
    db.session.add(invitation)
    db.session.commit()
    cohort_services.accept_invitation(invitation, dirk)
    db.session.commit()
    assert recipients("assignment_due_soon", assignment) == ids(anna, bram, cor, dirk)
    member = db.session.execute(
        sa.select(CohortMember).filter_by(cohort_id=cohort.id, user_id=anna.id)).scalar_one()
    cohort_services.remove_member(member)
    db.session.commit()
    assert recipients("assignment_due_soon", assignment) == ids(bram, cor, dirk)
    assert recipients("assignment_overdue", assignment) == ids(bram, cor, dirk)


# Mail -------------------------------------------------------------------------------------------


def test_due_soon_arrives_in_dutch_and_english_with_title_cohort_and_due_date_only(
    people, mailbox
):
    lecturer, cohort, (anna, bram, cor, _dirk) = people
    anna.locale, bram.locale = "en", "nl"
    db.session.commit()
    assignment = set_assignment(cohort, lecturer)
    draft = hand.working_attempt(assignment, cor.id)
    hand.save_draft(draft, {"body": WORK})
    db.session.commit()
    moment = DUE - timedelta(hours=48)
    tick(moment - timedelta(minutes=1))
    assert mails_about(mailbox, assignment) == []
    tick(moment)
    [english] = [m for m in mailbox.to(anna.email) if assignment.title in m["Subject"]]
    [dutch] = [m for m in mailbox.to(bram.email) if assignment.title in m["Subject"]]
    [cors] = [m for m in mailbox.to(cor.email) if assignment.title in m["Subject"]]
    assert subject(english) == (
        f"Due soon: {assignment.title}, Wednesday, March 10, 2027, 5:00\u202fPM")
    with force_locale("nl"):
        assert subject(dutch) == gettext("Due soon: %(title)s, %(when)s",
                                           title=assignment.title,
                                           when="woensdag 10 maart 2027, 17:00")
    english_text, english_html = parts(english)
    assert "Due date: Wednesday, March 10, 2027, 5:00\u202fPM" in english_text
    assert "Nothing is accepted after: Wednesday, March 17, 2027, 5:00\u202fPM" in english_text
    assert "you have not handed it in yet" in english_text
    assert "<html" in english_html and "Stop reminders like this one" in english_html
    for mail in (english, dutch, cors):
        for text in parts(mail):
            assert assignment.title in text and str(escape(cohort.name)) in text
            assert f"http://leerkring.test/assignments/{assignment.id}" in text
            assert WORK not in text and "Kijk en luister" not in text
    assert "woensdag 10 maart 2027, 17:00" in parts(dutch)[0]
    [notice] = notices(anna, "assignment_due_soon")
    assert notice.params == {"title": assignment.title, "cohort": cohort.name,
                             "when": "Wednesday, March 10, 2027, 5:00\u202fPM"}


def test_overdue_and_feedback_mails_in_both_languages_without_work_or_feedback(people, mailbox):
    lecturer, cohort, (anna, bram, *_) = people
    anna.locale, bram.locale = "en", "nl"
    db.session.commit()
    assignment = set_assignment(cohort, lecturer)
    tick(DUE + HOUR)
    for user in (anna, bram):
        [mail] = [m for m in mailbox.to(user.email) if assignment.title in m["Subject"]]
        for text in parts(mail):
            assert assignment.title in text and WORK not in text
    [english] = [m for m in mailbox.to(anna.email) if assignment.title in m["Subject"]]
    assert english["Subject"] == f"Past its due date: {assignment.title}"
    assert "You can still hand it in until the cut-off" in parts(english)[0]
    mailbox.clear()
    late = hand_in(assignment, anna, at=utcnow())
    other = hand_in(assignment, bram, at=utcnow())
    for submission in (late, other):
        hand.give_feedback(submission, lecturer, FEEDBACK, Outcome.RESUBMIT)
    db.session.commit()
    tick(utcnow() + timedelta(minutes=1))
    [english] = [m for m in mailbox.to(anna.email) if assignment.title in m["Subject"]]
    [dutch] = [m for m in mailbox.to(bram.email) if assignment.title in m["Subject"]]
    assert english["Subject"] == f"Feedback on your work for {assignment.title}"
    with force_locale("nl"):
        assert dutch["Subject"] == gettext("Feedback on your work for %(title)s",
                                           title=assignment.title)
    for mail in (english, dutch):
        for text in parts(mail):
            assert FEEDBACK not in text and WORK not in text
            assert assignment.title in text


def test_the_settings_page_lists_the_assignment_kinds(client, login, people):
    _lecturer, _cohort, (anna, *_) = people
    login(anna)
    page = client.get("/notifications/preferences", headers=EN).text
    with force_locale("en"):
        for name in KINDS_HERE:
            assert str(escape(KINDS[name].label)) in page
            assert "fieldwork assignment" in str(KINDS[name].label)


# The lecturer's digest line ---------------------------------------------------------------------


def waiting(app, lecturer):
    with app.test_request_context(), force_locale("en"):
        return reminders.waiting_for_feedback(lecturer, utcnow() - timedelta(days=7), utcnow())


def test_the_digest_counts_submissions_waiting_per_cohort_of_the_lecturer(app, people):
    lecturer, cohort, (anna, bram, cor, dirk) = people
    assert waiting(app, lecturer) is None
    one = set_assignment(cohort, lecturer, opens_at=utcnow() - timedelta(days=1))
    two = set_assignment(cohort, lecturer, title="Schrijf een reflectie",
                         opens_at=utcnow() - timedelta(days=1))
    hand_in(one, anna)
    hand_in(two, anna)
    answered = hand_in(one, bram)
    hand.give_feedback(answered, lecturer, FEEDBACK, Outcome.SUFFICIENT)
    draft = hand.working_attempt(one, cor.id)
    hand.save_draft(draft, {"body": WORK})
    db.session.commit()
    section = waiting(app, lecturer)
    assert section.title == "Submissions waiting for your feedback"
    [item] = section.items
    assert item.text == f"{cohort.name}: 2 submissions wait for your feedback"
    assert item.link == f"/cohorts/{cohort.id}/grid"
    # Students and lecturers of other cohorts see no such line.
    assert waiting(app, anna) is None
    other_lecturer = f.make_user(field_role=FieldRole.LECTURER)
    assert waiting(app, other_lecturer) is None
    cohort.archived_at = utcnow()
    db.session.commit()
    assert waiting(app, lecturer) is None


def test_the_lecturers_weekly_digest_mail_carries_the_line(people, mailbox):
    lecturer, cohort, (anna, *_) = people
    lecturer.locale = "en"
    assignment = set_assignment(cohort, lecturer, opens_at=utcnow() - timedelta(days=1))
    hand_in(assignment, anna)
    monday = amsterdam(2027, 3, 1, 8, 0)  # Monday 08:00 in the lecturer's zone
    tick(monday)
    [digest] = [m for m in mailbox.to(lecturer.email) if m["Subject"] == "Your week in Leerkring"]
    text = parts(digest)[0]
    assert f"{cohort.name}: 1 submission waits for your feedback" in text
    assert f"http://leerkring.test/cohorts/{cohort.id}/grid" in text
    assert WORK not in text


# Queries ----------------------------------------------------------------------------------------


def a_term(lecturer, students, n) -> list:
    """``n`` assignments (text and attendance) with extensions, work handed in and feedback."""
    circle = f.make_circle(members=students)
    cohort = f.make_cohort(lecturer, students=students)
    f.make_meeting(circle, starts_at=utcnow() - timedelta(days=2))
    assignments = []
    for i in range(n):
        kind = SubmissionKind.ATTENDANCE if i % 2 else SubmissionKind.TEXT
        assignment = f.make_assignment(cohort, kind=kind, circle_id=circle.id,
                                       meetings_required=1, opens_at=utcnow() - timedelta(days=3),
                                       due_at=utcnow() + timedelta(hours=30 + i),
                                       cutoff_at=None)
        f.make_submission(assignment, students[0], feedback_at=utcnow(), feedback="Goed")
        f.make_submission(assignment, students[-1])
        assignment_services.grant_extension(assignment, students[1],
                                            utcnow() + timedelta(hours=40), None, lecturer)
        assignments.append(assignment)
    db.session.commit()
    return assignments


def queries_per_kind(app, count_queries, lecturer, assignments) -> dict[str, int]:
    counts = {}
    for name in KINDS_HERE:
        for scope in (Scope(utcnow(), None, [a.id for a in assignments]),
                      Scope(utcnow() - timedelta(hours=2), utcnow() + timedelta(days=3))):
            db.session.expire_all()
            with count_queries() as counter:
                dues = list(KINDS[name].due(scope))
            counts[f"{name} {scope.subject_ids is None}"] = counter.count
            assert dues or name == "assignment_overdue", name
    db.session.expire_all()
    db.session.refresh(lecturer)
    with count_queries() as counter:
        assert waiting(app, lecturer) is not None
    counts["digest"] = counter.count
    return counts


def test_due_and_the_digest_run_the_same_queries_for_few_and_many_students(app, count_queries):
    lecturer = f.make_user(field_role=FieldRole.LECTURER)
    few = [f.make_user(field_role=FieldRole.STUDENT) for _ in range(3)]
    small = queries_per_kind(app, count_queries, lecturer, a_term(lecturer, few, 2))
    many = [f.make_user(field_role=FieldRole.STUDENT) for _ in range(12)]
    large = queries_per_kind(app, count_queries, lecturer, a_term(lecturer, many, 6))
    assert small == large
    assert max(small.values()) <= 3
    assert small["digest"] == 1
