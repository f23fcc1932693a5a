"""Demo data: fictional, idempotent, skipped when people exist, and good for signing in."""

from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher

from leerkring import demo
from leerkring.circles.models import JoinMode, RequestStatus, Visibility
from leerkring.extensions import db
from leerkring.models import Circle, CircleRole, JoinRequest, Membership, User, werkplaats_admins
from tests.factories import make_user, werkplaats

DEMO_ACCOUNTS = [
    "admin@example.org",
    "coordinator@example.org",
    "professional@example.org",
    "lecturer@example.org",
    "student@example.org",
    "policymaker@example.org",
]


def counts() -> dict[str, int]:
    tables = {
        "users": User.__table__,
        "circles": Circle.__table__,
        "memberships": Membership.__table__,
        "join_requests": JoinRequest.__table__,
        "werkplaats_admins": werkplaats_admins,
    }
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for name, table in tables.items()
    }


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).filter_by(email=email))


def test_demo_data_loads_once_and_a_second_run_changes_nothing(app):
    first = demo.load()
    loaded = counts()
    second = demo.load()

    assert counts() == loaded
    assert first.startswith("Demo data loaded: 21 people, 13 circles")
    assert second == "Demo data is already present; nothing changed."
    assert loaded["users"] == 21
    assert loaded["circles"] == 13
    assert loaded["join_requests"] == 4
    assert loaded["werkplaats_admins"] == 1


def test_demo_accounts_are_verified_with_the_demo_password(app):
    demo.load()
    hasher = PasswordHasher()
    for email in DEMO_ACCOUNTS:
        account = user(email)
        assert account.is_verified
        assert hasher.verify(account.password_hash, "leerkring-demo")
    assert user("admin@example.org").is_admin
    assert not user("coordinator@example.org").is_admin
    assert user("coordinator@example.org") in werkplaats("twente").admins
    homes = set(db.session.scalars(sa.select(User.home_werkplaats_id).distinct()))
    assert len(homes) >= 6


def test_demo_circles_vary_in_place_theme_join_mode_and_state(app):
    demo.load()
    circles = db.session.scalars(sa.select(Circle)).all()

    assert {c.join_mode for c in circles} == set(JoinMode)
    assert len({c.werkplaats_id for c in circles if c.werkplaats_id}) >= 6
    assert len({c.theme_id for c in circles if c.theme_id}) >= 6
    assert [c.name for c in circles if c.werkplaats_id is None] == ["Impact zichtbaar maken"]
    assert [c.name for c in circles if c.visibility == Visibility.MEMBERS] == [
        "Casuïstiek ouderen thuis"
    ]
    assert [c.name for c in circles if c.is_full] == ["Polarisatie en vertrouwen in de buurt"]
    assert [c.name for c in circles if c.is_archived] == ["Verkenning gebiedsteams 2022"]
    for circle in circles:
        memberships = circle.memberships
        assert circle.member_count == len(memberships)
        assert any(m.role == CircleRole.COORDINATOR for m in memberships)


def test_the_demo_coordinator_has_requests_waiting(app):
    demo.load()
    coordinated = sa.select(Membership.circle_id).where(
        Membership.user_id == user("coordinator@example.org").id,
        Membership.role == CircleRole.COORDINATOR,
    )
    waiting = db.session.scalars(
        sa.select(JoinRequest).where(
            JoinRequest.circle_id.in_(coordinated), JoinRequest.status == RequestStatus.PENDING
        )
    ).all()
    assert len(waiting) == 2
    assert all(r.circle.join_mode == JoinMode.ON_REQUEST for r in waiting)


def test_a_second_run_leaves_what_people_changed(app):
    demo.load()
    student = user("student@example.org")
    student.name = "Lotte (aangepast)"
    db.session.delete(
        db.session.scalar(sa.select(Membership).filter_by(user_id=student.id).limit(1))
    )
    db.session.commit()
    changed = counts()

    demo.load()

    assert counts() == changed
    assert user("student@example.org").name == "Lotte (aangepast)"


def test_if_empty_skips_a_database_that_has_people(app):
    make_user()
    message = demo.load(if_empty=True)
    assert message == "The database already has users; demo data not loaded."
    assert counts()["users"] == 1
    assert counts()["circles"] == 0


def test_if_empty_loads_into_an_empty_database(app):
    assert demo.load(if_empty=True).startswith("Demo data loaded")
    assert counts()["users"] == 21


def test_the_demo_command_says_what_it_did(app):
    app.config["SERVER_NAME"] = None  # as in `make run`: the command needs no server name
    runner = app.test_cli_runner()
    assert "Demo data loaded" in runner.invoke(args=["demo"]).output
    assert "nothing changed" in runner.invoke(args=["demo"]).output
    assert "not loaded" in runner.invoke(args=["demo", "--if-empty"]).output


def test_the_demo_coordinator_logs_in_and_sees_the_demo_data(client, login):
    demo.load()
    login(user("coordinator@example.org"), password="leerkring-demo")

    page = client.get("/werkplaatsen/twente")

    assert "Armoede in de wijk" in page.text
    assert "Casuïstiek ouderen thuis" in page.text  # members only: seen as its coordinator
    assert "Sanne Kuipers" in page.text  # as the Werkplaats admin
    assert "Beschrijving bewerken" in page.text


def test_demo_meetings_are_placed_around_the_day_the_demo_is_loaded(app):
    from datetime import UTC, datetime, timedelta

    from leerkring.meetings.models import (
        Attendance,
        DatePoll,
        Meeting,
        MeetingStatus,
        Minutes,
        MinutesStatus,
        Rsvp,
    )

    first = demo.load()
    meetings = db.session.scalars(sa.select(Meeting)).all()
    now = datetime.now(UTC)

    assert "meetings, 1 date polls," in first
    assert any(m.starts_at < now for m in meetings)
    assert any(now < m.starts_at < now + timedelta(days=2) for m in meetings)
    assert any(m.series_id is not None for m in meetings)
    assert any(m.status == MeetingStatus.CANCELLED for m in meetings)
    full = [m for m in meetings if m.max_places]
    assert full and full[0].places_taken == full[0].max_places
    waiting = db.session.scalars(sa.select(Rsvp).where(Rsvp.waitlisted_at.is_not(None))).all()
    assert [r.user.email for r in waiting] == ["student@example.org"]
    # Four marked at the circle's past meeting, and a cohort student (demo_assignments).
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 5
    minutes = db.session.scalar(sa.select(Minutes))
    assert minutes.status == MinutesStatus.FINAL and minutes.meeting.starts_at < now
    poll = db.session.scalar(sa.select(DatePoll))
    assert poll.is_open and len(poll.options) == 3

    count = len(meetings)
    assert demo.load() == "Demo data is already present; nothing changed."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == count


def test_the_demo_professional_has_meetings_ahead_and_a_calendar_feed(client, login):
    from leerkring.meetings.models import CalendarFeed
    from leerkring.meetings.queries import upcoming_for

    demo.load()
    professional = user("professional@example.org")
    login(professional, password="leerkring-demo")

    profile = client.get("/account/profile", headers={"Accept-Language": "en"})
    upcoming = [m.title for m in upcoming_for(professional, 5)]

    assert upcoming[:2] == ["Vroegsignalering in de wijk", "Casuïstiek ouderen thuis"]
    assert db.session.scalar(sa.select(CalendarFeed).filter_by(user_id=professional.id))
    assert "/calendar/" in profile.text and ".ics" in profile.text


def test_demo_cases_and_reflections_are_fictional_and_cover_every_template(app):
    from leerkring.notes.models import CaseNote, CaseStatus, Reflection, ReflectionTemplate
    from leerkring.privacy import BSN, scan

    first = demo.load()
    cases = db.session.scalars(sa.select(CaseNote)).all()
    reflections = db.session.scalars(sa.select(Reflection)).all()

    # One case and two Gibbs reflections of them are handed in for the demo cohort.
    assert "5 cases, 6 reflections," in first
    assert {case.status for case in cases} == set(CaseStatus)
    assert all("verzonnen voor de demo" in case.situation for case in cases)
    assert all(case.comments for case in cases if not case.is_draft)
    assert {r.template for r in reflections} == set(ReflectionTemplate)
    texts = [c.situation + c.question + c.tried for c in cases]
    texts += [part for r in reflections for part in r.parts.values()]
    assert not any(f.kind == BSN for text in texts for f in scan(text))
    assert demo.load() == "Demo data is already present; nothing changed."


def test_demo_kitchen_visits_cover_every_state_and_travel_between_werkplaatsen(app):
    from leerkring.visits.models import (
        ReportCircle,
        Visit,
        VisitReport,
        VisitSignup,
        VisitStatus,
    )

    first = demo.load()
    visits = db.session.scalars(sa.select(Visit)).all()
    now = datetime.now(UTC)
    upcoming = [v for v in visits if v.is_published and v.starts_at > now]
    past = [v for v in visits if v.starts_at < now]

    assert "9 kitchen visits, 12 visit sign-ups, 3 visit reports," in first
    assert {v.status for v in visits} == {VisitStatus.PUBLISHED, VisitStatus.PENDING,
                                          VisitStatus.CANCELLED}
    assert len({v.werkplaats_id for v in visits}) >= 6
    assert len({t.slug for v in visits for t in v.themes}) >= 6
    assert all("verzonnen voor de demo" in v.description for v in visits)
    assert all(v.host is not None and v.werkplaats_id == v.host.home_werkplaats_id
               for v in visits)
    pending = [v for v in visits if v.status == VisitStatus.PENDING]
    assert [v.werkplaats.slug for v in pending] == ["twente"]
    assert pending[0].werkplaats.visits_need_approval
    assert any(v.online_url and not v.place_address for v in upcoming)
    offers = {}
    for visit in upcoming:
        offers.setdefault(visit.offer_key, []).append(visit)
    assert sorted(len(dates) for dates in offers.values())[-1] == 3

    # Places are counted right, and the full visit has someone waiting.
    for visit in visits:
        signups = db.session.scalars(sa.select(VisitSignup).filter_by(visit_id=visit.id)).all()
        assert visit.places_taken == sum(s.has_place for s in signups)
    full = [v for v in upcoming if v.max_places and v.places_left == 0]
    assert len(full) == 1
    waiting = db.session.scalars(
        sa.select(VisitSignup).where(VisitSignup.waitlisted_at.is_not(None))
    ).all()
    assert [(s.visit_id, s.user.email) for s in waiting] == [(full[0].id,
                                                              "student@example.org")]

    # Two visits happened, with visitors from other Werkplaatsen, and reports.
    assert len(past) == 2
    came = db.session.scalars(
        sa.select(VisitSignup).where(VisitSignup.visit_id.in_([v.id for v in past]))
    ).all()
    assert all(s.has_place and s.learning_goal for s in came)
    assert all(s.user.home_werkplaats_id != s.visit.werkplaats_id for s in came)
    reports = db.session.scalars(sa.select(VisitReport)).all()
    assert {r.visit_id for r in reports} == {v.id for v in past}
    assert any(r.response and r.responded_at for r in reports)
    offered = [r for r in reports if r.is_offered_to_library]
    assert len(offered) == 1 and offered[0].library_consent_at is not None
    brought = db.session.scalars(sa.select(ReportCircle)).all()
    on_agenda = [b for b in brought if b.meeting_id is not None]
    assert len(on_agenda) == 1
    assert on_agenda[0].meeting.circle_id == on_agenda[0].circle_id
    assert on_agenda[0].meeting.starts_at > now
    assert all("Verzonnen verslag" in r.saw for r in reports)
    from leerkring.notes.models import Reflection

    [about_a_visit] = db.session.scalars(
        sa.select(Reflection).where(Reflection.visit_id.is_not(None))).all()
    assert about_a_visit.visit in past
    assert about_a_visit.author.email == "professional@example.org"

    assert demo.load() == "Demo data is already present; nothing changed."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == len(visits)


def test_the_demo_coordinator_has_a_visit_to_approve_and_the_professional_a_place(
    client, login
):
    demo.load()
    login(user("coordinator@example.org"), password="leerkring-demo")
    english = {"Accept-Language": "en"}

    approvals = client.get("/visits/pending", headers=english)
    listing = client.get("/visits/", headers=english)

    assert "Bij de voedselbank: signalen herkennen" in approvals.text
    assert "Aan de keukentafel: huisbezoeken tegen eenzaamheid" in listing.text
    assert "Spreekuur Geldzaken op de hogeschool" in listing.text
    assert "Bij de voedselbank" not in listing.text


# The demo cohort (demo_assignments) ------------------------------------------------------------


def demo_cohort():
    from leerkring.assignments.models import Cohort

    return db.session.scalar(sa.select(Cohort).filter_by(name="Praktijkleren SPH jaar 3, blok 2"))


def lotte_statuses() -> dict[str, str]:
    """The demo student's status per assignment title, as the pages judge it."""
    from leerkring.assignments.assignments import standings
    from leerkring.assignments.models import Assignment

    assignments = db.session.scalars(
        sa.select(Assignment).filter_by(cohort_id=demo_cohort().id)).all()
    found = standings(user("student@example.org").id, assignments, datetime.now(UTC))
    return {a.title: found[a.id].status for a in assignments}


def test_the_demo_cohort_has_a_lecturer_students_circles_and_one_assignment_of_each_kind(app):
    from leerkring.assignments.models import (
        Assignment,
        CohortRole,
        Extension,
        Submission,
        SubmissionKind,
    )
    from leerkring.privacy import scan

    first = demo.load()
    cohort = demo_cohort()
    roles = {m.user.email: m.role for m in cohort.members}
    assignments = db.session.scalars(
        sa.select(Assignment).filter_by(cohort_id=cohort.id).order_by(Assignment.due_at)).all()
    submissions = db.session.scalars(sa.select(Submission)).all()
    now = datetime.now(UTC)

    assert "1 cohort, 5 assignments, 1 extension, 8 submissions, " in first
    assert cohort.course == "Sociaal Werk (HBO), jaar 3"
    assert cohort.starts_on < now.date() < cohort.ends_on
    assert cohort.coordinators_see_submissions
    assert [c.name for c in cohort.circles] == ["Armoede in de wijk",
                                                "Ervaringsdeskundigen aan tafel"]
    assert roles == {
        "lecturer@example.org": CohortRole.LECTURER,
        "student@example.org": CohortRole.STUDENT,
        "daan.groen@example.org": CohortRole.STUDENT,
        "esra.yildiz@example.org": CohortRole.STUDENT,
        "sem.jacobs@example.org": CohortRole.STUDENT,
    }
    # Every student does fieldwork in one of the cohort's circles.
    circle_members = {m.user.email for c in cohort.circles for m in c.memberships}
    assert set(roles) - {"lecturer@example.org"} <= circle_members
    assert {a.kind for a in assignments} == set(SubmissionKind)
    assert [a.reflection_template for a in assignments if a.kind == "reflection"] == ["gibbs"]
    assert any(a.due_at < now for a in assignments) and any(a.due_at > now for a in assignments)
    assert all(a.opens_at < a.due_at and (a.cutoff_at is None or a.due_at < a.cutoff_at)
               for a in assignments)
    [extension] = db.session.scalars(sa.select(Extension)).all()
    assert extension.student.email == "daan.groen@example.org"
    assert extension.due_at > now
    assert any(s.is_late for s in submissions)
    assert any(s.is_draft for s in submissions)
    texts = [s.body for s in submissions] + [s.feedback for s in submissions]
    texts += [a.instructions for a in assignments]
    assert not any(scan(text) for text in texts)
    assert all("verzonnen voor de demo" in s.body for s in submissions if s.body)

    assert demo.load() == "Demo data is already present; nothing changed."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == len(
        submissions)


def test_the_demo_student_has_a_mix_of_statuses(app):
    demo.load()
    assert lotte_statuses() == {
        "Observeer een bijeenkomst": "feedback",
        "Reflecteer met Gibbs op je rol in de kring": "late",
        "Breng een casus in": "resubmit",
        "Interview een professional": "draft",
        "Woon drie bijeenkomsten bij": "not_started",
    }


def test_the_demo_student_sees_her_assignments_by_due_date_with_what_to_do(client, login):
    demo.load()
    login(user("student@example.org"), password="leerkring-demo")

    english = client.get("/assignments/", headers={"Accept-Language": "en"}).text
    dutch = client.get("/assignments/").text

    titles = ["Observeer een bijeenkomst", "Reflecteer met Gibbs op je rol in de kring",
              "Breng een casus in", "Interview een professional", "Woon drie bijeenkomsten bij"]
    assert [english.index(title) for title in titles] == sorted(
        english.index(title) for title in titles)
    for label in ("Feedback received", "Handed in late", "Hand in again", "Draft",
                  "Not started", "0 of 3 meetings", "Read the feedback and hand in a new attempt."):
        assert label in english
    assert "Praktijkleren SPH jaar 3, blok 2" in english
    for label in ("Feedback ontvangen", "Te laat ingeleverd", "Opnieuw inleveren", "Concept"):
        assert label in dutch


def test_the_demo_student_reads_the_feedback_on_her_observation(client, login):
    from leerkring.assignments.models import Submission

    demo.load()
    lotte = user("student@example.org")
    login(lotte, password="leerkring-demo")
    observed = db.session.scalar(
        sa.select(Submission).filter_by(student_id=lotte.id, outcome="sufficient"))

    page = client.get(f"/submissions/{observed.id}", headers={"Accept-Language": "en"})

    assert "Sufficient" in page.text
    assert "Voldoende. Je beschrijft helder" in page.text


def test_the_demo_lecturer_sees_her_students_in_the_grid(client, login):
    demo.load()
    login(user("lecturer@example.org"), password="leerkring-demo")
    cohort = demo_cohort()

    cohorts = client.get("/cohorts/", headers={"Accept-Language": "en"})
    grid = client.get(f"/cohorts/{cohort.id}/grid", headers={"Accept-Language": "en"})

    assert "Praktijkleren SPH jaar 3, blok 2" in cohorts.text
    for name in ("Lotte de Wit", "Daan Groen", "Esra Yıldız", "Sem Jacobs"):
        assert name in grid.text
    for word in ("Feedback received", "Handed in", "Hand in again", "Missed", "late"):
        assert word in grid.text
    assert "/submissions/" in grid.text


def test_the_demo_praktijkbegeleider_reads_work_of_a_student_in_her_circle(client, login):
    from leerkring.assignments.models import Submission

    demo.load()
    lotte = user("student@example.org")
    late = db.session.scalar(sa.select(Submission).filter_by(student_id=lotte.id, is_late=True))
    login(user("coordinator@example.org"), password="leerkring-demo")

    page = client.get(f"/submissions/{late.id}", headers={"Accept-Language": "en"})

    assert "Mijn stilte in de vragenronde" in page.text
    assert "stelde hem niet" in page.text


def test_demo_library_items_vary_and_wait_for_twente_and_the_professional(app, client, login):
    from leerkring.library.models import FourO, ItemStatus, LibraryItem

    first = demo.load()
    items = db.session.scalars(sa.select(LibraryItem)).all()
    published = [item for item in items if item.status == ItemStatus.PUBLISHED]

    assert ("8 submissions, 12 library items, 11 theme followers and 1 library item on a "
            "meeting's agenda added") in first
    assert len(published) == 10
    assert len({item.kind for item in published}) == 7
    assert {row.o for item in published for row in item.os} == set(FourO)
    assert len({t.slug for item in published for t in item.themes}) >= 7
    assert len({w.slug for item in published for w in item.werkplaatsen}) >= 5
    assert any(not item.werkplaatsen for item in published)
    assert len({item.year for item in published}) >= 4
    assert sum(item.is_public for item in published) >= 4
    with_pdf = [item for item in items if item.document_key]
    assert len(with_pdf) == 2
    assert all(item.document_type == "application/pdf" for item in with_pdf)
    assert any("Stap 1" in item.document_text for item in with_pdf)
    assert all("Verzonnen voor de demo" in item.body for item in items)
    [submitted] = [item for item in items if item.status == ItemStatus.SUBMITTED]
    assert [w.slug for w in submitted.werkplaatsen] == ["twente"]
    [draft] = [item for item in items if item.status == ItemStatus.DRAFT]
    assert draft.created_by.email == "professional@example.org"
    assert demo.load() == "Demo data is already present; nothing changed."

    login(user("coordinator@example.org"), password="leerkring-demo")
    waiting = client.get("/library/to-publish", headers={"Accept-Language": "en"})
    assert submitted.title in waiting.text


def test_the_demo_lesson_of_a_closed_case_is_shared_and_published(app):
    from leerkring.library.models import ItemKind, ItemStatus, LibraryItem
    from leerkring.notes.models import CaseNote, CaseStatus

    demo.load()
    [lesson] = db.session.scalars(
        sa.select(LibraryItem).where(LibraryItem.case_id.is_not(None))).all()
    case = db.session.get(CaseNote, lesson.case_id)

    assert case.status == CaseStatus.CLOSED
    assert lesson.kind == ItemKind.LESSON and lesson.status == ItemStatus.PUBLISHED
    assert lesson.created_by.email == case.author.email == "professional@example.org"
    assert lesson.published_by_id == user("coordinator@example.org").id
    assert case.lesson.strip() in lesson.body
    assert [t.slug for t in lesson.themes] == ["armoede"]
    assert [w.slug for w in lesson.werkplaatsen] == ["twente"]
    assert lesson.other_authors == "Armoede in de wijk"
    assert demo.load() == "Demo data is already present; nothing changed."


def test_the_demo_programme_shows_its_ambassador_and_content_expert(client, login):
    from leerkring.library.models import ThemePerson, ThemeRole
    from leerkring.werkplaatsen.models import Theme

    demo.load()
    programme = db.session.scalar(sa.select(Theme).filter_by(slug="ondersteuning-ouderen"))
    people = db.session.scalars(sa.select(ThemePerson)).all()
    roles = {(p.theme.slug, p.user.email): p for p in people}
    login(user("coordinator@example.org"), password="leerkring-demo")

    page = client.get(f"/themes/{programme.slug}").text
    armoede = client.get("/themes/armoede").text

    assert programme.is_programme
    assert roles["ondersteuning-ouderen", "fenna.dijkstra@example.org"].role == (
        ThemeRole.AMBASSADOR)
    assert roles["ondersteuning-ouderen", "joris.molenaar@example.org"].role == (
        ThemeRole.CONTENT_EXPERT)
    assert all(p.follows for p in people)
    assert sum(p.is_visible for p in people) < len(people)
    assert {slug for slug, email in roles if email == "coordinator@example.org"} == {
        "armoede", "lerende-praktijken"}
    assert roles["armoede", "professional@example.org"].is_visible
    section = page[page.index('id="theme-people"'):]
    assert section.index("Fenna Dijkstra") < section.index("Ambassadeur")
    assert section.index("Ambassadeur") < section.index("Joris Molenaar")
    assert section.index("Joris Molenaar") < section.index("Inhoudsdeskundige")
    assert "Mehmet Aydın" in armoede and "Kees Vermeulen" not in armoede

    count = len(people)
    assert demo.load() == "Demo data is already present; nothing changed."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThemePerson)) == count


def test_a_demo_library_item_is_on_a_coming_meeting_of_the_coordinator(client, login):
    from leerkring.library.models import ItemPlacement

    demo.load()
    [placement] = db.session.scalars(sa.select(ItemPlacement)).all()
    login(user("coordinator@example.org"), password="leerkring-demo")

    page = client.get(f"/meetings/{placement.meeting_id}").text

    assert placement.meeting.starts_at > datetime.now(UTC)
    assert placement.circle.name == "Casuïstiek ouderen thuis"
    assert placement.placed_by_id == user("coordinator@example.org").id
    section = page[page.index('id="meeting-library-items"'):]
    assert "Uit de bibliotheek" in section
    assert "Eenzame ouderen bereiken via de huisarts" in section
    assert demo.load() == "Demo data is already present; nothing changed."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemPlacement)) == 1
