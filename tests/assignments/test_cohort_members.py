"""A cohort's people beyond the first lecturer: inviting lecturers, removing lecturers (never the
last), sending an invitation again or withdrawing it, and archiving and reopening the cohort."""

import re

import pytest

from leerkring.assignments import reminders
from leerkring.assignments.models import CohortInvitation, CohortMember, CohortRole
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.models import FieldRole
from leerkring.notifications.models import Delivery, DeliveryStatus
from tests import factories as f

EN = {"Accept-Language": "en"}


@pytest.fixture
def people(app):
    lecturer = f.make_user(name="Docent Dirk", field_role=FieldRole.LECTURER)
    student = f.make_user(name="Student Sanne", field_role=FieldRole.STUDENT)
    cohort = f.make_cohort(lecturer, students=[student], name="Praktijkleren SPH jaar 3")
    return {"lecturer": lecturer, "student": student, "cohort": cohort}


def invite(client, cohort, emails, role="student"):
    return client.post(f"/cohorts/{cohort.id}/invite", data={"emails": emails, "role": role},
                       headers=EN)


def tokens_in(mailbox, address) -> list[str]:
    return [re.search(r"/cohorts/invitations/(\S+)", mailbox.text(message)).group(1)
            for message in mailbox.to(address)]


def place_of(user, cohort):
    return db.session.execute(db.select(CohortMember).where(
        CohortMember.user_id == user.id, CohortMember.cohort_id == cohort.id)).scalar()


def switch_to(client, login, user):
    client.post("/account/logout")
    login(user)


# Lecturers ------------------------------------------------------------------------------------


def test_a_lecturer_invites_a_colleague_who_joins_as_lecturer(client, login, people, mailbox):
    cohort = people["cohort"]
    f.make_assignment(cohort)
    colleague = f.make_user(name="Docent Dana", email="dana@example.org",
                            field_role=FieldRole.LECTURER)
    login(people["lecturer"])
    page = client.get(f"/cohorts/{cohort.id}/invite?role=lecturer", headers=EN).text
    assert re.search(r'value="lecturer"[^>]*checked|checked[^>]*value="lecturer"', page)
    invite(client, cohort, "dana@example.org", role="lecturer")
    (message,) = mailbox.to("dana@example.org")
    assert "invites you as a lecturer" in mailbox.text(message)
    assert "as lecturer" in client.get(f"/cohorts/{cohort.id}/invite", headers=EN).text

    (token,) = tokens_in(mailbox, "dana@example.org")
    switch_to(client, login, colleague)
    assert "join the cohort as a lecturer" in client.get(
        f"/cohorts/invitations/{token}", headers=EN).text
    page = client.post(f"/cohorts/invitations/{token}/accept", headers=EN,
                       follow_redirects=True).text
    assert "You are now a lecturer of Praktijkleren SPH jaar 3." in page
    assert place_of(colleague, cohort).role == CohortRole.LECTURER
    assert "Student Sanne" in client.get(f"/cohorts/{cohort.id}/grid", headers=EN).text


def test_a_student_account_cannot_take_a_lecturer_invitation(client, login, people, mailbox):
    cohort = people["cohort"]
    someone = f.make_user(email="geen.docent@example.org", field_role=FieldRole.STUDENT)
    login(people["lecturer"])
    invite(client, cohort, "geen.docent@example.org", role="lecturer")
    (token,) = tokens_in(mailbox, "geen.docent@example.org")
    switch_to(client, login, someone)
    page = client.post(f"/cohorts/invitations/{token}/accept", headers=EN,
                       follow_redirects=True).text
    assert "This invitation is for a lecturer" in page
    assert place_of(someone, cohort) is None
    assert db.session.execute(db.select(CohortInvitation.accepted_at)).scalar() is None


def test_a_lecturer_removes_a_colleague_and_may_leave_but_the_last_stays(client, login, people):
    cohort = people["cohort"]
    colleague = f.make_user(name="Docent Dana", field_role=FieldRole.LECTURER)
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=colleague.id,
                                role=CohortRole.LECTURER))
    db.session.commit()
    login(people["lecturer"])
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).text
    assert 'aria-label="Remove Docent Dana"' in page and "Invite a lecturer" in page

    mine = place_of(people["lecturer"], cohort)
    response = client.post(f"/cohorts/{cohort.id}/members/{mine.id}/remove", headers=EN)
    assert response.location.endswith("/cohorts/")
    assert "You are no longer a lecturer of Praktijkleren SPH jaar 3." in client.get(
        response.location, headers=EN).text
    assert place_of(people["lecturer"], cohort) is None

    switch_to(client, login, colleague)
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).text
    assert 'aria-label="Remove Docent Dana"' not in page
    last = place_of(colleague, cohort)
    page = client.post(f"/cohorts/{cohort.id}/members/{last.id}/remove", headers=EN,
                       follow_redirects=True).text
    assert "A cohort keeps at least one lecturer." in page
    assert place_of(colleague, cohort) is not None


# Sending again, withdrawing ------------------------------------------------------------------


def test_an_expired_invitation_is_sent_again_with_a_new_link(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["lecturer"])
    invite(client, cohort, "laat@example.org")
    invitation = db.session.execute(db.select(CohortInvitation)).scalar_one()
    invitation.expires_at = utcnow().replace(year=utcnow().year - 1)
    db.session.commit()
    page = client.get(f"/cohorts/{cohort.id}/invite", headers=EN).text
    assert "laat@example.org" in page and "expired on" in page

    response = client.post(
        f"/cohorts/{cohort.id}/invitations/{invitation.id}/send-again", headers=EN)
    assert "is sent again; the earlier link no longer works" in client.get(
        response.location, headers=EN).text
    old, new = tokens_in(mailbox, "laat@example.org")
    assert old != new
    assert client.get(f"/cohorts/invitations/{old}").status_code == 404

    student = f.make_user(email="laat@example.org")
    switch_to(client, login, student)
    client.post(f"/cohorts/invitations/{new}/accept", headers=EN)
    assert place_of(student, cohort).role == CohortRole.STUDENT


def test_a_withdrawn_invitation_no_longer_works(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["lecturer"])
    invite(client, cohort, "weg@example.org")
    invitation = db.session.execute(db.select(CohortInvitation)).scalar_one()
    response = client.post(f"/cohorts/{cohort.id}/invitations/{invitation.id}/withdraw",
                           headers=EN)
    page = client.get(response.location, headers=EN).text
    assert "The invitation to weg@example.org is withdrawn." in page
    assert "No open invitations." in page
    (token,) = tokens_in(mailbox, "weg@example.org")
    assert client.get(f"/cohorts/invitations/{token}").status_code == 404


def test_only_the_cohorts_lecturers_send_again_or_withdraw(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["lecturer"])
    invite(client, cohort, "iemand@example.org")
    invitation = db.session.execute(db.select(CohortInvitation)).scalar_one()
    other_lecturer = f.make_user(field_role=FieldRole.LECTURER)
    f.make_cohort(other_lecturer)
    for user, expected in ((people["student"], 403), (other_lecturer, 404)):
        switch_to(client, login, user)
        for action in ("send-again", "withdraw"):
            path = f"/cohorts/{cohort.id}/invitations/{invitation.id}/{action}"
            assert client.post(path).status_code == expected
    assert len(mailbox.to("iemand@example.org")) == 1
    assert db.session.get(CohortInvitation, invitation.id) is not None


# Archiving -------------------------------------------------------------------------------------


def test_an_archived_cohort_takes_no_work_until_it_is_opened_again(client, login, people):
    cohort = people["cohort"]
    assignment = f.make_assignment(cohort, title="Observeer een bijeenkomst")
    login(people["lecturer"])
    response = client.post(f"/cohorts/{cohort.id}/archive", headers=EN)
    page = client.get(response.location, headers=EN).text
    assert "This cohort is archived: nothing can be handed in" in page
    assert "Open the cohort again" in page and "Invite students" not in page
    assert "Student Sanne" in client.get(f"/cohorts/{cohort.id}/grid", headers=EN).text

    switch_to(client, login, people["student"])
    page = client.get(f"/assignments/{assignment.id}", headers=EN).text
    assert "This cohort is archived; nothing can be handed in any more." in page
    assert f"/assignments/{assignment.id}/submission" not in page
    assert client.get(f"/assignments/{assignment.id}/submission").status_code == 404
    assert client.post(f"/cohorts/{cohort.id}/archive", data={"archived": "0"}).status_code == 403

    switch_to(client, login, people["lecturer"])
    response = client.post(f"/cohorts/{cohort.id}/archive", data={"archived": "0"}, headers=EN)
    assert "The cohort is open again." in client.get(response.location, headers=EN).text
    db.session.expire_all()
    assert cohort.archived_at is None
    switch_to(client, login, people["student"])
    assert client.get(f"/assignments/{assignment.id}/submission").status_code == 200


def test_archiving_withdraws_the_planned_reminders_and_reopening_plans_them(client, login,
                                                                           people):
    cohort = people["cohort"]
    assignment = f.make_assignment(cohort)
    reminders.replan([assignment.id])
    db.session.commit()

    def pending():
        db.session.expire_all()
        return db.session.execute(db.select(Delivery.kind).where(
            Delivery.subject_type == "assignment", Delivery.subject_id == assignment.id,
            Delivery.user_id == people["student"].id, Delivery.status == DeliveryStatus.PENDING,
        )).scalars().all()

    assert "assignment_due_soon" in pending()
    login(people["lecturer"])
    client.post(f"/cohorts/{cohort.id}/archive")
    assert pending() == []
    client.post(f"/cohorts/{cohort.id}/archive", data={"archived": "0"})
    assert "assignment_due_soon" in pending()


def test_the_invite_page_in_dutch(client, login, people):
    login(people["lecturer"])
    page = client.get(f"/cohorts/{people['cohort'].id}/invite").text
    assert "Uitnodigen als" in page and "Docenten" in page
