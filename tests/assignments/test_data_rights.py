"""Fieldwork assignments in a user's data rights: the export holds the cohorts, the work handed in
with its feedback, extensions, the assignments set and the feedback given, and the invitations to
the user's address; the delete page says what happens; deleting a student deletes their work,
deleting a cohort's only lecturer archives the cohort and keeps the feedback without a name."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from leerkring.assignments.models import (
    Cohort,
    CohortInvitation,
    CohortMember,
    CohortRole,
    Extension,
    Outcome,
    Submission,
)
from leerkring.extensions import db
from leerkring.models import FieldRole
from tests import factories as f

EN = {"Accept-Language": "en"}
WORK = "Ik zag hoe de groep samen een vraag onderzocht."
FEEDBACK = "Mooi beschreven; let op je conclusie."


def delete_account(client):
    response = client.post("/account/delete", data={"password": f.PASSWORD, "confirm": "y"})
    assert response.status_code == 303


@pytest.fixture
def world(app):
    """Docent Dirk alone leads SPH 3, where Sanne handed in work with his feedback and has an
    extension; Dirk and Dana lead SPH 2 together; Sanne is invited to a third cohort."""
    dirk = f.make_user(name="Docent Dirk", field_role=FieldRole.LECTURER)
    dana = f.make_user(name="Docent Dana", field_role=FieldRole.LECTURER)
    sanne = f.make_user(name="Student Sanne", email="sanne@example.org",
                        field_role=FieldRole.STUDENT)
    alone = f.make_cohort(dirk, students=[sanne], name="SPH 3")
    shared = f.make_cohort(dirk, name="SPH 2")
    db.session.add(CohortMember(cohort_id=shared.id, user_id=dana.id, role=CohortRole.LECTURER))
    assignment = f.make_assignment(alone, title="Observeer een bijeenkomst")
    submission = f.make_submission(assignment, sanne, body=WORK, feedback=FEEDBACK,
                                   outcome=Outcome.SUFFICIENT, feedback_by_id=dirk.id,
                                   feedback_at=datetime.now(UTC))
    db.session.add(Extension(assignment_id=assignment.id, student_id=sanne.id,
                             due_at=assignment.due_at + timedelta(days=3), granted_by_id=dirk.id))
    third = f.make_cohort(dana, name="SPH 4")
    db.session.add(CohortInvitation(cohort_id=third.id, email="sanne@example.org",
                                    token_hash="a" * 64, invited_by_id=dana.id,
                                    expires_at=datetime.now(UTC) + timedelta(days=7)))
    db.session.commit()
    return {"dirk": dirk, "dana": dana, "sanne": sanne, "alone": alone, "shared": shared,
            "assignment": assignment, "submission": submission}


def test_the_students_export_holds_their_work_feedback_and_invitations(client, login, world):
    login(world["sanne"])
    data = client.get("/account/export").json["assignments"]
    assert [(c["cohort"], c["role"]) for c in data["cohorts"]] == [("SPH 3", "student")]
    [work] = data["submissions"]
    assert (work["assignment"], work["cohort"], work["body"]) == (
        "Observeer een bijeenkomst", "SPH 3", WORK)
    assert (work["feedback"], work["outcome"]) == (FEEDBACK, "sufficient")
    [extension] = data["extensions"]
    assert extension["assignment"] == "Observeer een bijeenkomst" and extension["due_at"]
    assert [(i["cohort"], i["invited_by"], i["role"]) for i in data["invitations"]] == [
        ("SPH 4", "Docent Dana", "student")]
    assert data["assignments_set"] == [] and data["feedback_given"] == []


def test_the_lecturers_export_holds_what_they_set_and_wrote_not_the_work(client, login, world):
    login(world["dirk"])
    data = client.get("/account/export").json["assignments"]
    assert [a["title"] for a in data["assignments_set"]] == ["Observeer een bijeenkomst"]
    assert [(g["assignment"], g["feedback"]) for g in data["feedback_given"]] == [
        ("Observeer een bijeenkomst", FEEDBACK)]
    assert data["submissions"] == []
    assert WORK not in client.get("/account/export").text


def test_the_delete_page_says_what_happens(client, login, world):
    login(world["sanne"])
    text = client.get("/account/delete", headers=EN).text
    assert "The work you handed in for a fieldwork assignment is deleted, with its feedback." \
        in text
    client.post("/account/logout")
    login(world["dirk"])
    text = client.get("/account/delete", headers=EN).text
    assert "You are the only lecturer of a cohort (SPH 3): it is archived" in text
    assert "SPH 2" not in text
    client.post("/account/logout")
    login(f.make_user())
    assert "fieldwork" not in client.get("/account/delete", headers=EN).text


def test_deleting_a_student_deletes_their_work_and_invitations(client, login, world):
    submission_id = world["submission"].id
    login(world["sanne"])
    delete_account(client)
    db.session.expire_all()
    assert db.session.get(Submission, submission_id) is None
    assert db.session.scalars(sa.select(Extension)).all() == []
    assert db.session.scalars(sa.select(CohortInvitation)).all() == []
    assert db.session.get(Cohort, world["alone"].id).archived_at is None


def test_deleting_the_only_lecturer_archives_the_cohort_and_keeps_the_feedback(client, login,
                                                                               world):
    alone_id, shared_id = world["alone"].id, world["shared"].id
    submission_id = world["submission"].id
    login(world["dirk"])
    delete_account(client)
    db.session.expire_all()
    assert db.session.get(Cohort, alone_id).archived_at is not None
    assert db.session.get(Cohort, shared_id).archived_at is None
    submission = db.session.get(Submission, submission_id)
    assert submission.feedback == FEEDBACK and submission.feedback_by_id is None

    login(world["sanne"])
    page = client.get(f"/assignments/{world['assignment'].id}", headers=EN).text
    assert "This cohort is archived; nothing can be handed in any more." in page
