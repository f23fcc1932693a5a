"""Fictional demo data: people in several Werkplaatsen, circles across themes, and requests.

``load`` is idempotent: people are matched by e-mail address and circles by name. Only what is
missing is added, and what exists is left as it is (a demo member who left a circle stays out).
Every person here is invented; the password of every demo account is ``leerkring-demo``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from leerkring.accounts.models import FieldRole, User
from leerkring.circles import services as circle_services
from leerkring.circles.models import (
    Circle,
    CircleRole,
    JoinMode,
    JoinRequest,
    Visibility,
)
from leerkring.demo_assignments import add_assignments
from leerkring.demo_library import add_library
from leerkring.demo_meetings import add_meetings
from leerkring.demo_notes import add_notes
from leerkring.demo_visits import add_visits
from leerkring.extensions import db
from leerkring.werkplaatsen.models import Theme, Werkplaats

PASSWORD = "leerkring-demo"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    field_role: FieldRole
    werkplaats: str
    organisation: str
    is_admin: bool = False


@dataclass(frozen=True)
class DemoCircle:
    name: str
    description: str
    #: Werkplaats slug; None for a national circle.
    werkplaats: str | None
    theme: str | None
    coordinators: tuple[str, ...]
    members: tuple[str, ...] = ()
    join_mode: JoinMode = JoinMode.OPEN
    visibility: Visibility = Visibility.SIGNED_IN
    max_members: int | None = None
    is_archived: bool = False
    #: (e-mail, message) of people waiting for a coordinator's answer.
    requests: tuple[tuple[str, str], ...] = ()


P = FieldRole
PEOPLE = [
    # The demo accounts of DESIGN.md section 5.
    Person("admin@example.org", "Ilse Verbeek", P.OTHER, "associatie",
           "Associatie Werkplaatsen Sociaal Domein", is_admin=True),
    Person("coordinator@example.org", "Sanne Kuipers", P.PROFESSIONAL, "twente",
           "Welzijn Oost (fictief)"),
    Person("professional@example.org", "Mehmet Aydın", P.PROFESSIONAL, "twente",
           "Wijkteam Stadsveld (fictief)"),
    Person("lecturer@example.org", "Hanneke Brouwer", P.LECTURER, "regio-zwolle",
           "Hogeschool Vechtdal (fictief)"),
    Person("student@example.org", "Lotte de Wit", P.STUDENT, "twente",
           "Hogeschool Vechtdal (fictief)"),
    Person("policymaker@example.org", "Rachid el Idrissi", P.POLICYMAKER, "kus",
           "Gemeente Domstad (fictief)"),
    # Colleagues in other Werkplaatsen.
    Person("fenna.dijkstra@example.org", "Fenna Dijkstra", P.PROFESSIONAL, "friesland",
           "Sociaal team Waddenkust (fictief)"),
    Person("joris.molenaar@example.org", "Joris Molenaar", P.RESEARCHER, "friesland",
           "Lectoraat Ouder worden in de regio (fictief)"),
    Person("priya.ramdin@example.org", "Priya Ramdin", P.PROFESSIONAL, "den-haag-leiden",
           "Buurtwerk Duinzicht (fictief)"),
    Person("bart.hendriks@example.org", "Bart Hendriks", P.EXPERIENCE_EXPERT, "regio-zwolle",
           "Ervaringsnetwerk IJsselland (fictief)"),
    Person("noor.veldkamp@example.org", "Noor Veldkamp", P.POLICYMAKER, "amsterdam-en-omgeving",
           "Gemeente Amstelrand (fictief)"),
    Person("youssef.bakker@example.org", "Youssef Bakker", P.PROFESSIONAL, "amsterdam-en-omgeving",
           "Jongerenwerk Noordoever (fictief)"),
    Person("ellen.post@example.org", "Ellen Post", P.LECTURER, "noord-brabant-fontys",
           "Lectoraat Schulden en bestaanszekerheid (fictief)"),
    Person("kees.vermeulen@example.org", "Kees Vermeulen", P.EXPERIENCE_EXPERT,
           "noord-brabant-fontys", "Cliëntenraad Kempenland (fictief)"),
    Person("marieke.smit@example.org", "Marieke Smit", P.PROFESSIONAL, "twente",
           "Welzijn Oost (fictief)"),
    Person("daan.groen@example.org", "Daan Groen", P.STUDENT, "regio-zwolle",
           "Hogeschool Vechtdal (fictief)"),
    Person("sara.lambrecht@example.org", "Sara Lambrecht", P.RESEARCHER, "zuyd",
           "Lectoraat Sociale kwaliteit (fictief)"),
    Person("tim.oosterhuis@example.org", "Tim Oosterhuis", P.PROFESSIONAL, "noord",
           "Gebiedsteam Hunzedal (fictief)"),
    Person("anouk.meijer@example.org", "Anouk Meijer", P.POLICYMAKER, "den-haag-leiden",
           "Gemeente Rijnstede (fictief)"),
    # Students in the demo cohort (demo_assignments), with Lotte de Wit and Daan Groen.
    Person("esra.yildiz@example.org", "Esra Yıldız", P.STUDENT, "twente",
           "Hogeschool Vechtdal (fictief)"),
    Person("sem.jacobs@example.org", "Sem Jacobs", P.STUDENT, "regio-zwolle",
           "Hogeschool Vechtdal (fictief)"),
]

CIRCLES = [
    DemoCircle(
        "Armoede in de wijk",
        "Professionals en studenten bespreken casussen over geldzorgen en bestaanszekerheid in "
        "de wijk, en wat werkt om mensen eerder te bereiken.",
        "twente", "armoede",
        coordinators=("coordinator@example.org",),
        members=("professional@example.org", "student@example.org", "marieke.smit@example.org",
                 "esra.yildiz@example.org"),
    ),
    DemoCircle(
        "Intervisie wijkteams",
        "Maandelijkse intervisie voor medewerkers van wijkteams: een casus, vragen stellen, "
        "en samen reflecteren op het eigen handelen.",
        "twente", "lerende-praktijken",
        coordinators=("coordinator@example.org",),
        members=("marieke.smit@example.org",),
        join_mode=JoinMode.ON_REQUEST,
        requests=(
            ("professional@example.org",
             "Ik werk sinds kort in een wijkteam en wil graag aansluiten."),
            ("daan.groen@example.org",
             "Voor mijn stage wil ik leren hoe intervisie in de praktijk gaat."),
        ),
    ),
    DemoCircle(
        "Casuïstiek ouderen thuis",
        "Besloten casuïstiekbespreking over ouderen die thuis wonen en ondersteuning nodig hebben.",
        "twente", "ondersteuning-ouderen",
        coordinators=("coordinator@example.org",),
        members=("professional@example.org",),
        join_mode=JoinMode.INVITATION,
        visibility=Visibility.MEMBERS,
    ),
    DemoCircle(
        "Ervaringsdeskundigen aan tafel",
        "Ervaringsdeskundigen, docenten en professionals leren van elkaars perspectief.",
        "regio-zwolle", "ervaringsdeskundigheid",
        coordinators=("bart.hendriks@example.org",),
        members=("lecturer@example.org", "daan.groen@example.org", "sem.jacobs@example.org"),
    ),
    DemoCircle(
        "Buurtkracht Zwolle",
        "Hoe versterken we de verbinding tussen bewoners, vrijwilligers en professionals?",
        "regio-zwolle", "sociale-verbondenheid",
        coordinators=("lecturer@example.org",),
        members=("daan.groen@example.org", "student@example.org"),
        join_mode=JoinMode.ON_REQUEST,
        requests=(
            ("fenna.dijkstra@example.org", "Wij zoeken in Friesland naar vergelijkbare aanpakken."),
        ),
    ),
    DemoCircle(
        "Sociale basis in Amstelrand",
        "Gemeente en aanbieders zoeken samen hoe de sociale basis dichtbij en vrij toegankelijk "
        "blijft.",
        "amsterdam-en-omgeving", "sociale-basis",
        coordinators=("noor.veldkamp@example.org",),
        members=("youssef.bakker@example.org",),
        join_mode=JoinMode.ON_REQUEST,
    ),
    DemoCircle(
        "Polarisatie en vertrouwen in de buurt",
        "Buurtwerkers en beleidsmakers oefenen met gesprekken over spanningen in de buurt.",
        "den-haag-leiden", "polarisatie-en-vertrouwen",
        coordinators=("priya.ramdin@example.org",),
        members=("anouk.meijer@example.org", "youssef.bakker@example.org"),
        max_members=3,
    ),
    DemoCircle(
        "Eenzaamheid onder ouderen",
        "Onderzoekers en professionals delen wat werkt tegen eenzaamheid op het platteland.",
        "friesland", "ondersteuning-ouderen",
        coordinators=("joris.molenaar@example.org",),
        members=("fenna.dijkstra@example.org",),
        join_mode=JoinMode.ON_REQUEST,
        requests=(
            ("coordinator@example.org", "Wij zien hetzelfde in Twente; graag leren we mee."),
        ),
    ),
    DemoCircle(
        "Jongeren en schulden",
        "Docenten, ervaringsdeskundigen en schuldhulpverleners over jongeren met schulden.",
        "noord-brabant-fontys", "armoede",
        coordinators=("ellen.post@example.org",),
        members=("kees.vermeulen@example.org",),
        max_members=12,
    ),
    DemoCircle(
        "Beleid en praktijk in Domstad",
        "Beleidsmakers en professionals leggen beleidsvragen naast ervaringen uit de praktijk.",
        "kus", "lerende-praktijken",
        coordinators=("policymaker@example.org",),
        members=("noor.veldkamp@example.org", "anouk.meijer@example.org"),
        join_mode=JoinMode.INVITATION,
    ),
    DemoCircle(
        "Impact zichtbaar maken",
        "Een landelijke leerkring over het meten en laten zien van wat het sociaal domein "
        "bereikt.",
        None, "impact",
        coordinators=("policymaker@example.org",),
        members=(
            "lecturer@example.org", "sara.lambrecht@example.org", "joris.molenaar@example.org"
        ),
    ),
    DemoCircle(
        "Studenten in de wijk",
        "Studenten koppelen hun praktijkopdracht aan vragen uit de wijk.",
        "zuyd", None,
        coordinators=("sara.lambrecht@example.org",),
        members=("student@example.org",),
        join_mode=JoinMode.ON_REQUEST,
    ),
    DemoCircle(
        "Verkenning gebiedsteams 2022",
        "Afgeronde verkenning van de samenwerking in gebiedsteams.",
        "noord", "sociale-basis",
        coordinators=("tim.oosterhuis@example.org",),
        is_archived=True,
    ),
]

#: The demo coordinator also runs the Werkplaats of their circles.
WERKPLAATS_ADMINS = [("twente", "coordinator@example.org")]


@dataclass
class Added:
    people: int = 0
    circles: int = 0
    memberships: int = 0
    requests: int = 0
    admins: int = 0
    meetings: int = 0
    polls: int = 0
    cases: int = 0
    reflections: int = 0
    visits: int = 0
    visit_signups: int = 0
    visit_reports: int = 0
    cohorts: int = 0
    assignments: int = 0
    extensions: int = 0
    submissions: int = 0
    library_items: int = 0
    theme_followers: int = 0
    placements: int = 0

    def summary(self) -> str:
        if not any(vars(self).values()):
            return "Demo data is already present; nothing changed."
        return (
            f"Demo data loaded: {self.people} people, {self.circles} circles, "
            f"{self.memberships} memberships, {self.requests} join requests, "
            f"{self.admins} Werkplaats admin{'' if self.admins == 1 else 's'}, "
            f"{self.meetings} meetings, {self.polls} date polls, {self.cases} cases, "
            f"{self.reflections} reflections, {self.visits} kitchen visits, "
            f"{self.visit_signups} visit sign-ups, {self.visit_reports} visit reports, "
            f"{self.cohorts} cohort{'' if self.cohorts == 1 else 's'}, "
            f"{self.assignments} assignments, {self.extensions} extension"
            f"{'' if self.extensions == 1 else 's'}, {self.submissions} submissions, "
            f"{self.library_items} library items, {self.theme_followers} theme followers and "
            f"{self.placements} library item{'' if self.placements == 1 else 's'} on a meeting's "
            f"agenda added "
            f"(password for every demo account: {PASSWORD})."
        )


def load(if_empty: bool = False) -> str:
    """Add the demo data that is missing, commit, and say in one line what was done."""
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return "The database already has users; demo data not loaded."
    werkplaatsen = {w.slug: w for w in db.session.scalars(sa.select(Werkplaats))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    added = Added()
    people, created = _people(werkplaatsen)
    added.people = len(created)
    for demo in CIRCLES:
        _circle(demo, people, werkplaatsen, themes, added)
    for slug, email in WERKPLAATS_ADMINS:
        if email in created:
            werkplaatsen[slug].admins.append(people[email])
            added.admins += 1
    add_meetings(people, added)
    add_notes(people, added)
    add_visits(people, added)
    add_assignments(people, added)
    add_library(people, added)
    db.session.commit()
    return added.summary()


def _people(werkplaatsen: dict[str, Werkplaats]) -> tuple[dict[str, User], set[str]]:
    """Every demo person by e-mail address, and the addresses of those created now."""
    emails = [person.email for person in PEOPLE]
    found = db.session.scalars(sa.select(User).where(User.email.in_(emails)))
    users = {user.email: user for user in found}
    missing = [person for person in PEOPLE if person.email not in users]
    if not missing:
        return users, set()
    from argon2 import PasswordHasher

    password_hash = PasswordHasher().hash(PASSWORD)
    now = datetime.now(UTC)
    for person in missing:
        user = User(
            email=person.email,
            name=person.name,
            field_role=person.field_role,
            organisation=person.organisation,
            home_werkplaats=werkplaatsen[person.werkplaats],
            is_admin=person.is_admin,
            password_hash=password_hash,
            email_verified_at=now,
        )
        db.session.add(user)
        users[person.email] = user
    db.session.flush()
    return users, {person.email for person in missing}


def _circle(demo: DemoCircle, people, werkplaatsen, themes, added: Added) -> None:
    """Create the circle with its members and requests, unless a circle of that name exists."""
    if db.session.scalar(sa.select(Circle.id).where(Circle.name == demo.name)) is not None:
        return
    circle = Circle(
        name=demo.name,
        description=demo.description,
        werkplaats=werkplaatsen[demo.werkplaats] if demo.werkplaats else None,
        theme=themes[demo.theme] if demo.theme else None,
        join_mode=demo.join_mode,
        visibility=demo.visibility,
        max_members=demo.max_members,
        archived_at=datetime.now(UTC) if demo.is_archived else None,
    )
    db.session.add(circle)
    db.session.flush()
    added.circles += 1
    for email in demo.coordinators:
        circle_services.add_member(circle, people[email], CircleRole.COORDINATOR)
    for email in demo.members:
        circle_services.add_member(circle, people[email])
    added.memberships += len(demo.coordinators) + len(demo.members)
    for email, message in demo.requests:
        db.session.add(JoinRequest(circle=circle, user=people[email], message=message))
    added.requests += len(demo.requests)

