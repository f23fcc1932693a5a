"""The demo cohort: a lecturer in Regio Zwolle and four students doing fieldwork in two demo
circles, with five fieldwork assignments (one of each kind of work) placed around the day the demo
is loaded, so that the demo student's page shows work with feedback, work handed in late, a
request to hand in again, a draft due in a few days and attendance counted from the circle's
meetings. Set, handed in and answered through the services, so their reminders are planned as in
use. Every text is made up; a cohort of this name that exists already is left alone."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from leerkring.assignments import assignment_services, cohort_services, submission_services
from leerkring.assignments.models import (
    Assignment,
    Cohort,
    CohortMember,
    CohortRole,
    Outcome,
    Submission,
    SubmissionKind,
)
from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.meetings import presence
from leerkring.meetings.models import Meeting, MeetingStatus
from leerkring.meetings.recurrence import to_local, to_utc
from leerkring.notes import retention
from leerkring.notes.models import (
    CaseComment,
    CaseMethod,
    CaseNote,
    CaseStatus,
    Reflection,
    ReflectionTemplate,
    Sharing,
)

ZONE = "Europe/Amsterdam"
NAME = "Praktijkleren SPH jaar 3, blok 2"
LECTURER = "lecturer@example.org"
STUDENTS = ("student@example.org", "daan.groen@example.org", "esra.yildiz@example.org",
            "sem.jacobs@example.org")
ARMOEDE = "Armoede in de wijk"
TAFEL = "Ervaringsdeskundigen aan tafel"
FICTIONAL = "(Dit is verzonnen voor de demo; namen en details bestaan niet.)"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """The instant of a local wall-clock time (an hour that does not exist moves one later)."""
    local = datetime.combine(day, time(hour, minute))
    return to_utc(local, ZONE) or to_utc(local + timedelta(hours=1), ZONE)


@dataclass
class Context:
    today: date
    who: object
    lecturer: object
    added: object

    def day(self, offset: int, hour: int, minute: int = 0) -> datetime:
        return _at(self.today + timedelta(days=offset), hour, minute)


def _circle_named(name: str) -> Circle | None:
    return db.session.scalar(sa.select(Circle).where(Circle.name == name))


def _meeting_near(circle: Circle | None, before: bool) -> Meeting | None:
    """The circle's latest meeting that has started (``before``), or its next one; not
    cancelled."""
    if circle is None:
        return None
    now = datetime.now(UTC)
    select = sa.select(Meeting).where(Meeting.circle_id == circle.id,
                                      Meeting.status != MeetingStatus.CANCELLED)
    if before:
        select = select.where(Meeting.starts_at < now).order_by(Meeting.starts_at.desc())
    else:
        select = select.where(Meeting.starts_at > now).order_by(Meeting.starts_at)
    return db.session.scalar(select.limit(1))


def add_assignments(people, added) -> None:
    """Add the demo cohort with its assignments and work; ``added`` (demo.Added) counts what was
    made."""
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == NAME).limit(1)) is not None:
        return
    ctx = Context(
        today=to_local(datetime.now(UTC), ZONE).date(),
        who=people.__getitem__,
        lecturer=people[LECTURER],
        added=added,
    )
    armoede, tafel = _circle_named(ARMOEDE), _circle_named(TAFEL)
    cohort = cohort_services.create_cohort(
        ctx.lecturer,
        {
            "name": NAME,
            "course": "Sociaal Werk (HBO), jaar 3",
            "starts_on": ctx.today - timedelta(days=35),
            "ends_on": ctx.today + timedelta(days=49),
            "coordinators_see_submissions": True,
        },
        [circle for circle in (armoede, tafel) if circle is not None],
    )
    for email in STUDENTS:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=ctx.who(email).id,
                                    role=CohortRole.STUDENT))
    db.session.flush()
    added.cohorts += 1
    _attendance(ctx, armoede)
    observe, gibbs, case, interview, _attendance_of_three = _assignments(ctx, cohort, armoede)
    _lotte(ctx, armoede, observe, gibbs, case, interview)
    _others(ctx, armoede, observe, gibbs, interview)


# The assignments --------------------------------------------------------------------------------


def _assignment(ctx: Context, cohort, title: str, instructions: str, *, opens: int, due: int,
                cutoff: int | None, **values) -> Assignment:
    """An assignment opening at 9:00 and due at 17:00 on the given days from today."""
    assignment = assignment_services.create_assignment(cohort, ctx.lecturer, {
        "title": title,
        "instructions": instructions,
        "opens_at": ctx.day(opens, 9),
        "due_at": ctx.day(due, 17),
        "cutoff_at": ctx.day(cutoff, 17) if cutoff is not None else None,
        "timezone": ZONE,
        **values,
    })
    assignment.created_at = min(assignment.opens_at, datetime.now(UTC)) - timedelta(days=3)
    ctx.added.assignments += 1
    return assignment


def _assignments(ctx: Context, cohort, armoede: Circle | None) -> tuple[Assignment, ...]:
    observe = _assignment(
        ctx, cohort, "Observeer een bijeenkomst",
        "Woon een bijeenkomst van je leerkring bij als toehoorder en beschrijf:\n\n"
        "- wie er aan tafel zaten (functies, geen namen);\n"
        "- hoe het gesprek verliep en wie het leidde;\n"
        "- één moment dat je opviel, en waarom.\n\n"
        "Ongeveer 600 woorden.",
        opens=-35, due=-21, cutoff=-14, kind=SubmissionKind.TEXT,
    )
    gibbs = _assignment(
        ctx, cohort, "Reflecteer met Gibbs op je rol in de kring",
        "Schrijf een reflectie volgens de cyclus van Gibbs over een moment in je leerkring waarin "
        "je zelf iets deed of juist niet. Gebruik alle zes de stappen.",
        opens=-21, due=-7, cutoff=7, kind=SubmissionKind.REFLECTION,
        reflection_template=ReflectionTemplate.GIBBS.value,
    )
    case = _assignment(
        ctx, cohort, "Breng een casus in",
        "Breng een casus uit je stage in bij een bijeenkomst van **Armoede in de wijk**. "
        "Pseudonimiseer hem goed en formuleer één heldere vraag voor de kring.",
        opens=-14, due=-2, cutoff=None, kind=SubmissionKind.CASE,
        circle_id=armoede.id if armoede else None,
    )
    interview = _assignment(
        ctx, cohort, "Interview een professional",
        "Interview een professional uit je leerkring over hoe zij of hij vroeg signalen van "
        "geldzorgen oppikt. Werk het interview uit en sluit af met wat jij meeneemt naar je "
        "eigen praktijk.",
        opens=-7, due=3, cutoff=10, kind=SubmissionKind.TEXT,
    )
    attendance = _assignment(
        ctx, cohort, "Woon drie bijeenkomsten bij",
        "Woon in dit blok drie bijeenkomsten van **Armoede in de wijk** bij en meld je aan het "
        "begin aan. Deze opdracht vult zich vanzelf met je aanwezigheid.",
        opens=-21, due=12, cutoff=None, kind=SubmissionKind.ATTENDANCE, meetings_required=3,
        circle_id=armoede.id if armoede else None,
    )
    assignment_services.grant_extension(
        gibbs, ctx.who("daan.groen@example.org"), ctx.day(4, 17), ctx.day(11, 17), ctx.lecturer
    )
    ctx.added.extensions += 1
    return observe, gibbs, case, interview, attendance


def _attendance(ctx: Context, armoede: Circle | None) -> None:
    """Esra was at the circle's past meeting: the attendance assignment counts it."""
    past = _meeting_near(armoede, before=True)
    if past is None:
        return
    coordinator = ctx.who("coordinator@example.org")
    presence.mark(past, ctx.who("esra.yildiz@example.org"), True, coordinator)


# The students' work -----------------------------------------------------------------------------


def _hand_in(ctx: Context, assignment, email: str, at: datetime, **work) -> Submission:
    submission = submission_services.working_attempt(assignment, ctx.who(email).id)
    submission.created_at = at - timedelta(hours=2)
    refused = submission_services.hand_in(assignment, submission, work, at=at)
    if refused is not None:
        raise ValueError(f"demo work for {assignment.title!r} refused: {refused}")
    ctx.added.submissions += 1
    return submission


def _draft(ctx: Context, assignment, email: str, at: datetime, **work) -> Submission:
    submission = submission_services.working_attempt(assignment, ctx.who(email).id)
    submission.created_at = at
    submission_services.save_draft(submission, work)
    ctx.added.submissions += 1
    return submission


def _feedback(ctx: Context, submission, at: datetime, outcome: Outcome, text: str) -> None:
    submission_services.give_feedback(submission, ctx.lecturer, text, outcome, at=at)


def _reflection(ctx: Context, email: str, at: datetime, title: str, circle, **parts):
    reflection = Reflection(
        author=ctx.who(email), template=ReflectionTemplate.GIBBS, title=title,
        sharing=Sharing.MENTOR, circle=circle, created_at=at, parts=parts,
    )
    db.session.add(reflection)
    db.session.flush()
    ctx.added.reflections += 1
    return reflection


def _case(ctx: Context, email: str, circle, at: datetime, **fields) -> CaseNote:
    case = CaseNote(circle=circle, author=ctx.who(email), status=CaseStatus.SHARED,
                    method=CaseMethod.INCIDENT, shared_at=at, **fields)
    case.created_at = at
    retention.touch(case, at)
    db.session.add(case)
    db.session.flush()
    ctx.added.cases += 1
    return case


def _lotte(ctx: Context, armoede, observe, gibbs, case, interview) -> None:
    """The demo student: feedback received, late, hand in again, a draft due in a few days and
    (from attendance) none of the three meetings yet."""
    lotte = "student@example.org"
    observed = _hand_in(
        ctx, observe, lotte, ctx.day(-22, 20, 15),
        body="Ik woonde een bijeenkomst van mijn leerkring bij als toehoorder. Aan tafel "
             "zaten een coördinator, twee professionals van het wijkteam en een vrijwilliger "
             "van de voedselbank.\n\nDe coördinator liet eerst iedereen een vraag stellen "
             "voordat er advies kwam. Het moment dat me opviel: een professional gaf toe dat zij "
             "zelf ook lang niet over geld durfde te beginnen. Daarna werd het gesprek "
             f"opener.\n\n{FICTIONAL}",
    )
    _feedback(
        ctx, observed, ctx.day(-18, 10), Outcome.SUFFICIENT,
        "Voldoende. Je beschrijft helder wie er aan tafel zat zonder iemand herkenbaar te maken, "
        "en het moment dat je kiest laat goed zien hoe openheid in een groep ontstaat. Probeer "
        "de volgende keer ook je eigen reactie op dat moment te beschrijven.",
    )
    reflection = _reflection(
        ctx, lotte, ctx.day(-6, 21), "Mijn stilte in de vragenronde", armoede,
        description="In de bijeenkomst van mijn leerkring had ik een vraag over de casus, maar ik "
                    "stelde hem niet. Een professional stelde later bijna dezelfde vraag.",
        feelings="Ik voelde me onzeker: ik dacht dat mijn vraag te simpel was voor een groep "
                 "ervaren professionals.",
        evaluation="Goed was dat ik goed luisterde en aantekeningen maakte. Minder goed was dat "
                   "ik mijn eigen inbreng inhield.",
        analysis="Ik vergelijk mezelf met de anderen en vergeet dat een frisse blik van een "
                 "student juist kan helpen.",
        conclusion="Had ik mijn vraag gesteld, dan had de kring er eerder op kunnen ingaan.",
        action_plan="Bij de volgende bijeenkomst stel ik in de eerste vragenronde een vraag, en "
                    "ik bespreek met mijn praktijkbegeleider hoe dat ging.",
    )
    _hand_in(ctx, gibbs, lotte, ctx.day(-6, 21, 30), reflection_id=reflection.id)
    soon = _meeting_near(armoede, before=False)
    brought = _case(
        ctx, lotte, armoede, ctx.day(-4, 16), meeting=soon,
        title="Een buurvrouw die nooit om hulp vraagt",
        question="Hoe bied ik hulp aan zonder dat iemand zich betutteld voelt?",
        situation=f"{FICTIONAL}\n\nTijdens mijn stage bij het buurthuis zie ik een oudere "
                  "buurtbewoonster (hier: mevrouw J.) die elke week vraagt of er nog brood "
                  "over is, maar elk aanbod van hulp afwimpelt.",
        tried="Een praatje bij de koffie; ze vertelde over haar kleinkinderen, niet over geld.",
    )
    db.session.add(CaseComment(
        case=brought, author=ctx.who("coordinator@example.org"), created_at=ctx.day(-4, 18),
        body="Mooie casus voor de bijeenkomst. Wat zou mevrouw J. zelf willen, denk je?",
    ))
    handed = _hand_in(ctx, case, lotte, ctx.day(-3, 11), case_id=brought.id)
    _feedback(
        ctx, handed, ctx.day(-1, 14), Outcome.RESUBMIT,
        "Een goed gekozen casus met een heldere vraag. De opdracht is de casus ín te brengen: "
        "lever opnieuw in na de bijeenkomst, en schrijf erbij welke vragen de kring je stelde en "
        "wat je daarvan meeneemt.",
    )
    _draft(
        ctx, interview, lotte, ctx.day(-1, 19),
        body="Interview met een medewerker van het wijkteam (hier: W.).\n\n"
             "Vraag 1: Waaraan merk je dat iemand geldzorgen heeft?\n"
             "Antwoord: Vaak aan kleine dingen: afspraken die worden afgezegd, de post die "
             f"blijft liggen.\n\n(Nog uitwerken.)\n\n{FICTIONAL}",
    )


def _others(ctx: Context, armoede, observe, gibbs, interview) -> None:
    """The other students, so the lecturer's grid shows variety: feedback, late marks, work
    waiting for feedback, an extension and a missed cut-off."""
    daan, esra = "daan.groen@example.org", "esra.yildiz@example.org"
    observed = _hand_in(
        ctx, observe, daan, ctx.day(-23, 15),
        body="Ik zat bij een bijeenkomst van mijn leerkring waarin ervaringsdeskundigen en "
             "docenten in gesprek gingen. Opvallend was dat de ervaringsdeskundigen het "
             f"gesprek leidden en de docenten vooral vragen stelden.\n\n{FICTIONAL}",
    )
    _feedback(
        ctx, observed, ctx.day(-19, 9), Outcome.SUFFICIENT,
        "Voldoende. Mooi hoe je laat zien wie het gesprek stuurde. Wat betekent dit voor jouw "
        "eigen rol als student aan die tafel?",
    )
    late = _hand_in(
        ctx, observe, esra, ctx.day(-20, 22),
        body="Ik observeerde de casusbespreking van mijn leerkring. De coördinator bewaakte de "
             "tijd en vatte na elke ronde samen; daardoor bleef het gesprek bij de vraag van de "
             f"inbrenger.\n\n{FICTIONAL}",
    )
    _feedback(
        ctx, late, ctx.day(-16, 10), Outcome.SUFFICIENT,
        "Voldoende, al kwam het een dag te laat. Je observatie van hoe de coördinator de tijd "
        "bewaakt is scherp.",
    )
    reflection = _reflection(
        ctx, esra, ctx.day(-9, 20), "Toen ik de casus samenvatte", armoede,
        description="Aan het eind van de casusbespreking vroeg de coördinator mij samen te vatten "
                    "wat de kring had geleerd.",
        feelings="Ik schrok, maar achteraf was ik trots dat het lukte.",
        evaluation="Mijn samenvatting was kort en klopte; ik vergat één advies.",
        analysis="Doordat ik aantekeningen maakte per ronde, kon ik de lijn goed vasthouden.",
        conclusion="Aantekeningen per ronde helpen mij om het overzicht te houden.",
        action_plan="Ik bied bij de volgende bijeenkomst zelf aan om samen te vatten.",
    )
    _hand_in(ctx, gibbs, esra, ctx.day(-8, 12), reflection_id=reflection.id)
    _hand_in(
        ctx, interview, esra, ctx.day(-1, 16),
        body="Ik sprak een vrijwilliger van de voedselbank (hier: R.). Zij ziet geldzorgen vaak "
             "pas als mensen al maanden in de knel zitten. Wat ik meeneem: vraag gewoon naar "
             f"vaste lasten, als onderdeel van elk gesprek.\n\n{FICTIONAL}",
    )
