"""Cohorts: my cohorts, creating and editing one, its page, inviting students by e-mail,
accepting, removing a student, and who may do what."""

import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest

from leerkring.assignments.models import Cohort, CohortInvitation, CohortMember, CohortRole
from leerkring.db import utcnow
from leerkring.extensions import db
from leerkring.invitations import hash_token
from leerkring.models import FieldRole
from tests import factories as f

EN = {"Accept-Language": "en"}


@pytest.fixture
def people(app):
    lecturer = f.make_user(name="Docent Dirk", field_role=FieldRole.LECTURER)
    student = f.make_user(name="Student Sanne", field_role=FieldRole.STUDENT)
    circle = f.make_circle(f.make_user(), name="Leerkring Armoede Enschede")
    cohort = f.make_cohort(lecturer, students=[student], circles=[circle],
                           name="Praktijkleren SPH jaar 3, blok 2", course="Sociaal Werk jaar 3")
    return {"lecturer": lecturer, "student": student, "circle": circle, "cohort": cohort,
            "other": f.make_user(name="Ander Anton"), "admin": f.make_admin()}


def form_data(circle, **kw):
    data = {"name": "Praktijkleren SPH jaar 2", "course": "SPH", "starts_on": "2026-09-01",
            "ends_on": "2026-11-15", "circles": [str(circle.id)],
            "coordinators_see_submissions": "y"}
    data.update(kw)
    return data


# My cohorts -----------------------------------------------------------------------------------


def test_my_cohorts_lists_the_lecturers_and_students_cohorts(client, login, people):
    login(people["lecturer"])
    page = client.get("/cohorts/", headers=EN).text
    assert "<html" in page and "Praktijkleren SPH jaar 3, blok 2" in page
    assert "you are a lecturer" in page and "1 student" in page and "New cohort" in page

    client.post("/account/logout")
    login(people["student"])
    page = client.get("/cohorts/", headers=EN).text
    assert "Praktijkleren SPH jaar 3, blok 2" in page and "you are a student" in page
    assert "New cohort" not in page


def test_others_see_no_cohorts(client, login, people):
    login(people["other"])
    page = client.get("/cohorts/", headers=EN).text
    assert "You are not in a cohort yet." in page
    assert "Praktijkleren" not in page


def test_anonymous_visitors_are_sent_to_log_in(client, people):
    for url in ("/cohorts/", "/cohorts/new", f"/cohorts/{people['cohort'].id}",
                f"/cohorts/{people['cohort'].id}/edit", f"/cohorts/{people['cohort'].id}/invite"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.location


# Creating and editing -------------------------------------------------------------------------


def test_a_lecturer_creates_a_cohort_and_becomes_its_lecturer(client, login, people):
    login(people["lecturer"])
    page = client.get("/cohorts/new", headers=EN).text
    assert "<html" in page and "Leerkring Armoede Enschede" in page
    assert "Praktijkbegeleiders of these circles may read" in page

    response = client.post("/cohorts/new", data=form_data(people["circle"]), headers=EN)
    assert response.status_code == 303
    cohort = db.session.execute(
        db.select(Cohort).where(Cohort.name == "Praktijkleren SPH jaar 2")).scalar_one()
    assert response.location.endswith(f"/cohorts/{cohort.id}")
    assert cohort.starts_on == date(2026, 9, 1) and cohort.ends_on == date(2026, 11, 15)
    assert cohort.coordinators_see_submissions
    assert [circle.id for circle in cohort.circles] == [people["circle"].id]
    member = db.session.execute(
        db.select(CohortMember).where(CohortMember.cohort_id == cohort.id)).scalar_one()
    assert member.user_id == people["lecturer"].id and member.role == CohortRole.LECTURER
    page = client.get(response.location, headers=EN).text
    assert "Invite its students" in page and "Docent Dirk" in page


def test_the_form_shows_errors_next_to_the_fields_and_keeps_the_input(client, login, people):
    login(people["lecturer"])
    response = client.post("/cohorts/new", headers=EN, data=form_data(
        people["circle"], name="", course="Mijn opleiding", starts_on="2026-11-15",
        ends_on="2026-09-01", circles=[]))
    assert response.status_code == 422
    page = response.text
    assert 'id="name-error"' in page and "Give the cohort a name." in page
    assert 'id="ends_on-error"' in page and "The end date comes after the start date." in page
    assert 'id="circles-error"' in page and "Choose at least one circle." in page
    assert 'value="Mijn opleiding"' in page and 'value="2026-11-15"' in page
    assert db.session.execute(db.select(db.func.count()).select_from(Cohort)).scalar() == 1


def test_circles_the_lecturer_cannot_see_are_refused(client, login, people):
    from leerkring.circles.models import Visibility

    hidden = f.make_circle(f.make_user(), name="Besloten kring", visibility=Visibility.MEMBERS)
    login(people["lecturer"])
    assert "Besloten kring" not in client.get("/cohorts/new").text
    response = client.post("/cohorts/new", headers=EN,
                           data=form_data(people["circle"], circles=[str(hidden.id)]))
    assert response.status_code == 422 and "Choose among the circles shown." in response.text


def test_a_date_that_is_no_date_is_an_error(client, login, people):
    login(people["lecturer"])
    response = client.post("/cohorts/new", headers=EN,
                           data=form_data(people["circle"], starts_on="morgen"))
    assert response.status_code == 422
    assert "Enter a date, such as 2026-03-29." in response.text
    assert 'value="morgen"' in response.text


def test_only_lecturers_and_admins_may_create(client, login, people):
    login(people["student"])
    assert client.get("/cohorts/new").status_code == 403
    assert client.post("/cohorts/new", data=form_data(people["circle"])).status_code == 403
    client.post("/account/logout")
    login(people["admin"])
    assert client.get("/cohorts/new").status_code == 200


def test_the_lecturer_edits_the_cohort(client, login, people):
    cohort, other_circle = people["cohort"], f.make_circle(f.make_user(), name="Kring Hengelo")
    login(people["lecturer"])
    page = client.get(f"/cohorts/{cohort.id}/edit", headers=EN).text
    assert 'value="Praktijkleren SPH jaar 3, blok 2"' in page
    circle_id = people["circle"].id
    assert re.search(rf'checked[^>]*value="{circle_id}"|value="{circle_id}"[^>]*checked', page)
    response = client.post(f"/cohorts/{cohort.id}/edit", headers=EN, data=form_data(
        other_circle, name="Blok 3", coordinators_see_submissions=""))
    assert response.status_code == 303
    db.session.refresh(cohort)
    assert cohort.name == "Blok 3" and not cohort.coordinators_see_submissions
    assert [circle.name for circle in cohort.circles] == ["Kring Hengelo"]

    response = client.post(f"/cohorts/{cohort.id}/edit", headers=EN,
                           data=form_data(other_circle, ends_on="2026-08-01"))
    assert response.status_code == 422
    assert "The end date comes after the start date." in response.text


def test_only_its_lecturers_edit_a_cohort(client, login, people):
    cohort = people["cohort"]
    login(people["student"])
    assert client.get(f"/cohorts/{cohort.id}/edit").status_code == 403
    client.post("/account/logout")
    login(people["other"])
    assert client.get(f"/cohorts/{cohort.id}/edit").status_code == 404
    client.post("/account/logout")
    login(f.make_user(field_role=FieldRole.LECTURER))
    assert client.post(f"/cohorts/{cohort.id}/edit",
                       data=form_data(people["circle"])).status_code == 404
    client.post("/account/logout")
    login(people["admin"])
    assert client.get(f"/cohorts/{cohort.id}/edit").status_code == 403


# The cohort page ------------------------------------------------------------------------------


def test_the_cohort_page_in_english(client, login, people):
    login(people["lecturer"])
    page = client.get(f"/cohorts/{people['cohort'].id}", headers=EN).text
    assert "<html" in page and "Praktijkleren SPH jaar 3, blok 2" in page
    assert "Sociaal Werk jaar 3" in page and "Leerkring Armoede Enschede" in page
    assert "Lecturers" in page and "Docent Dirk" in page and "Student Sanne" in page
    assert "Invite students" in page and "Remove" in page


def test_the_cohort_page_in_dutch(client, login, people):
    login(people["lecturer"])
    page = client.get(f"/cohorts/{people['cohort'].id}").text
    assert 'lang="nl"' in page
    assert "Docenten" in page and "Studenten" in page and "Studenten uitnodigen" in page


def test_who_sees_the_cohort_page(client, login, people):
    url = f"/cohorts/{people['cohort'].id}"
    login(people["student"])
    page = client.get(url, headers=EN).text
    assert "Student Sanne" in page and "Invite students" not in page and "Remove" not in page
    client.post("/account/logout")
    login(people["admin"])
    page = client.get(url, headers=EN).text
    assert "Praktijkleren SPH jaar 3, blok 2" in page and "Invite students" not in page
    client.post("/account/logout")
    login(people["other"])
    assert client.get(url).status_code == 404
    assert client.get("/cohorts/999999").status_code == 404


def test_many_students_are_paginated(client, login, people):
    cohort = people["cohort"]
    for n in range(30):
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=f.make_user(name=f"S{n:02}").id))
    db.session.commit()
    login(people["lecturer"])
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).text
    assert "Page 1 of 2" in page and "(31)" in page


def test_the_main_pages_run_a_fixed_number_of_queries(client, login, count_queries, people):
    lecturer, cohort = people["lecturer"], people["cohort"]
    login(lecturer)
    with count_queries() as small_page:
        client.get(f"/cohorts/{cohort.id}")
    with count_queries() as small_list:
        client.get("/cohorts/")
    for _ in range(3):
        f.make_cohort(lecturer, students=[f.make_user()], circles=[f.make_circle(f.make_user())])
    more_circles = [f.make_circle(f.make_user()) for _ in range(3)]
    cohort.circles.extend(more_circles)
    for _ in range(40):
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=f.make_user().id))
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=f.make_user().id,
                                role=CohortRole.LECTURER))
    db.session.commit()
    with count_queries() as large_page:
        page = client.get(f"/cohorts/{cohort.id}").text
    with count_queries() as large_list:
        client.get("/cohorts/")
    assert "Pagina 1 van" in page
    assert small_page.count == large_page.count
    assert small_list.count == large_list.count


# Inviting students ----------------------------------------------------------------------------


def invite(client, cohort, emails):
    return client.post(f"/cohorts/{cohort.id}/invite", data={"emails": emails}, headers=EN)


def token_in(mailbox, address) -> str:
    (message,) = mailbox.to(address)
    return re.search(r"/cohorts/invitations/(\S+)", mailbox.text(message)).group(1)


def test_an_invited_student_gets_a_mail_and_joins(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["lecturer"])
    page = client.get(f"/cohorts/{cohort.id}/invite", headers=EN).text
    assert "<html" in page and "Send invitations" in page
    response = invite(client, cohort, "nieuw@example.org, twee@example.org")
    assert response.status_code == 303
    assert "nieuw@example.org" in client.get(response.location, headers=EN).text
    (message,) = mailbox.to("nieuw@example.org")
    assert "Praktijkleren SPH jaar 3, blok 2" in message["Subject"]
    token = token_in(mailbox, "nieuw@example.org")
    stored = db.session.execute(db.select(CohortInvitation.token_hash).where(
        CohortInvitation.email == "nieuw@example.org")).scalar_one()
    assert stored == hash_token(token) and token not in stored

    client.post("/account/logout")
    newcomer = f.make_user(email="nieuw@example.org", name="Nieuwe Nina")
    login(newcomer)
    page = client.get(f"/cohorts/invitations/{token}", headers=EN).text
    assert "Accept the invitation" in page
    response = client.post(f"/cohorts/invitations/{token}/accept", headers=EN)
    assert response.status_code == 303 and response.location.endswith(f"/cohorts/{cohort.id}")
    assert "You are now a student of" in client.get(response.location, headers=EN).text
    member = db.session.execute(db.select(CohortMember).where(
        CohortMember.user_id == newcomer.id)).scalar_one()
    assert member.cohort_id == cohort.id and member.role == CohortRole.STUDENT

    other = f.make_user()
    client.post("/account/logout")
    login(other)
    page = client.get(f"/cohorts/invitations/{token}", headers=EN).text
    assert "expired or has already been used" in page and "Accept the invitation" not in page
    client.post(f"/cohorts/invitations/{token}/accept", headers=EN)
    assert db.session.execute(db.select(CohortMember).where(
        CohortMember.user_id == other.id)).scalar() is None


def test_an_expired_invitation_is_refused_clearly(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["lecturer"])
    invite(client, cohort, "laat@example.org")
    token = token_in(mailbox, "laat@example.org")
    invitation = db.session.execute(db.select(CohortInvitation)).scalar_one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client.post("/account/logout")
    late = f.make_user(email="laat@example.org")
    login(late)
    assert "expired or has already been used" in client.get(
        f"/cohorts/invitations/{token}", headers=EN).text
    response = client.post(f"/cohorts/invitations/{token}/accept", headers=EN)
    assert "expired or has already been used" in client.get(response.location, headers=EN).text
    assert client.get("/cohorts/invitations/not-a-token").status_code == 404


def test_members_are_not_invited_again_and_a_member_cannot_accept(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["lecturer"])
    response = invite(client, cohort, people["student"].email.upper())
    assert "already in the cohort" in client.get(response.location, headers=EN).text
    assert mailbox.messages == []
    invite(client, cohort, "iemand@example.org")
    token = token_in(mailbox, "iemand@example.org")
    client.post("/account/logout")
    login(people["student"])
    page = client.get(f"/cohorts/invitations/{token}", headers=EN).text
    assert "You are already in this cohort." in page
    response = client.post(f"/cohorts/invitations/{token}/accept", headers=EN)
    assert "You are already in this cohort." in client.get(response.location, headers=EN).text


def test_the_invite_form_shows_errors_and_keeps_the_input(client, login, people, mailbox):
    login(people["lecturer"])
    response = invite(client, people["cohort"], "geen-adres, goed@example.org")
    assert response.status_code == 422
    assert 'id="emails-error"' in response.text and "geen-adres" in response.text
    assert "goed@example.org" in response.text and mailbox.messages == []


def test_only_lecturers_invite(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["student"])
    assert client.get(f"/cohorts/{cohort.id}/invite").status_code == 403
    assert invite(client, cohort, "x@example.org").status_code == 403
    client.post("/account/logout")
    login(people["other"])
    assert invite(client, cohort, "x@example.org").status_code == 404
    assert mailbox.messages == []


# Removing someone -----------------------------------------------------------------------------


def student_member(people):
    return db.session.execute(db.select(CohortMember).where(
        CohortMember.user_id == people["student"].id)).scalar_one()


def still_there(member_id) -> bool:
    return db.session.execute(
        db.select(CohortMember.id).where(CohortMember.id == member_id)).scalar() is not None


def test_a_lecturer_removes_a_student(client, login, people):
    cohort, member_id = people["cohort"], student_member(people).id
    login(people["lecturer"])
    response = client.post(f"/cohorts/{cohort.id}/members/{member_id}/remove", headers=EN)
    assert response.status_code == 303
    assert "Student Sanne is no longer in the cohort." in client.get(
        response.location, headers=EN).text
    assert not still_there(member_id)


def test_students_and_others_remove_no_one(client, login, people):
    cohort, member = people["cohort"], student_member(people)
    lecturer_member = db.session.execute(db.select(CohortMember).where(
        CohortMember.user_id == people["lecturer"].id)).scalar_one()
    login(people["student"])
    assert client.post(f"/cohorts/{cohort.id}/members/{member.id}/remove").status_code == 403
    client.post("/account/logout")
    login(people["other"])
    assert client.post(f"/cohorts/{cohort.id}/members/{member.id}/remove").status_code == 404
    client.post("/account/logout")
    login(people["lecturer"])
    response = client.post(f"/cohorts/{cohort.id}/members/{lecturer_member.id}/remove",
                           headers=EN, follow_redirects=True)
    assert "A cohort keeps at least one lecturer." in response.text
    assert still_there(lecturer_member.id)
    other_cohort = f.make_cohort(f.make_user(), students=[f.make_user()])
    stranger = db.session.execute(db.select(CohortMember).where(
        CohortMember.cohort_id == other_cohort.id, CohortMember.role == CohortRole.STUDENT
    )).scalar_one()
    assert client.post(f"/cohorts/{cohort.id}/members/{stranger.id}/remove").status_code == 404
    assert still_there(member.id) and still_there(stranger.id)


def test_an_anonymous_invitee_logs_in_first_and_comes_back(client, people, mailbox, login):
    login(people["lecturer"])
    invite(client, people["cohort"], "later@example.org")
    token = token_in(mailbox, "later@example.org")
    client.post("/account/logout")
    response = client.get(f"/cohorts/invitations/{token}")
    assert response.status_code == 302 and "/account/login" in response.location
    assert token in unquote(response.location)


def test_an_archived_cohort_is_read_only(client, login, people, mailbox):
    cohort = people["cohort"]
    login(people["lecturer"])
    invite(client, cohort, "vroeg@example.org")
    token = token_in(mailbox, "vroeg@example.org")
    cohort.archived_at = utcnow()
    db.session.commit()
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).text
    assert "This cohort is archived" in page and "Invite students" not in page
    assert client.get(f"/cohorts/{cohort.id}/edit").status_code == 403
    assert invite(client, cohort, "nog@example.org").status_code == 403
    client.post("/account/logout")
    login(f.make_user(email="vroeg@example.org"))
    assert "expired or has already been used" in client.get(
        f"/cohorts/invitations/{token}", headers=EN).text


def test_the_cohort_page_lists_its_assignments_by_due_date(client, login, people):
    cohort = people["cohort"]
    later = f.make_assignment(cohort, title="Interview een professional")
    sooner = f.make_assignment(cohort, title="Observeer een bijeenkomst",
                               due_at=later.due_at - timedelta(days=3))
    login(people["lecturer"])
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).text
    assert page.index(sooner.title) < page.index(later.title)
    assert f'href="/assignments/{sooner.id}"' in page
    assert f'href="/cohorts/{cohort.id}/assignments/new"' in page
    assert f'href="/cohorts/{cohort.id}/grid"' in page
    client.post("/account/logout")
    login(people["student"])
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).text
    assert f'href="/assignments/{later.id}"' in page
    assert "/assignments/new" not in page and "/grid" not in page
