"""Demo cases and reflections: fictional and pseudonymised, placed around the demo meetings. A
circle that has cases already, or a person who has reflections, is left alone."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.meetings.models import Meeting
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

FICTIONAL = "Deze casus is verzonnen voor de demo; namen en details zijn veranderd."


def add_notes(people, added) -> None:
    """Add the demo cases and reflections; ``added`` (demo.Added) counts what was made."""
    who = people.__getitem__
    now = datetime.now(UTC)
    armoede = _circle_named("Armoede in de wijk")
    if armoede is not None and not _has_cases(armoede):
        _armoede_cases(armoede, who, now, added)
    ouderen = _circle_named("Casuïstiek ouderen thuis")
    if ouderen is not None and not _has_cases(ouderen):
        _ouderen_case(ouderen, who, now, added)
    _reflections(armoede, who, now, added)


def _circle_named(name: str) -> Circle | None:
    return db.session.scalar(sa.select(Circle).where(Circle.name == name))


def _has_cases(circle: Circle) -> bool:
    return db.session.scalar(
        sa.select(CaseNote.id).where(CaseNote.circle_id == circle.id).limit(1)
    ) is not None


def _meeting(circle: Circle, title: str) -> Meeting | None:
    return db.session.scalar(
        sa.select(Meeting).where(Meeting.circle_id == circle.id, Meeting.title == title)
        .order_by(Meeting.starts_at).limit(1)
    )


def _case(circle, author, at: datetime, added, **fields) -> CaseNote:
    case = CaseNote(circle=circle, author=author, **fields)
    case.created_at = at
    if case.status != CaseStatus.DRAFT:
        case.shared_at = at
    retention.touch(case, at)
    db.session.add(case)
    added.cases += 1
    return case


def _comment(case, author, at: datetime, body: str, parent=None) -> CaseComment:
    if parent is not None:
        db.session.flush()
    comment = CaseComment(
        case=case, author=author, body=body, created_at=at,
        parent_id=parent.id if parent is not None else None,
    )
    db.session.add(comment)
    return comment


def _armoede_cases(circle: Circle, who, now: datetime, added) -> None:
    mehmet, sanne = who("professional@example.org"), who("coordinator@example.org")
    marieke, lotte = who("marieke.smit@example.org"), who("student@example.org")
    past = _meeting(circle, "Casusbespreking: schulden en schaamte")
    closed = _case(
        circle, mehmet, now - timedelta(days=20), added,
        meeting=past, method=CaseMethod.INCIDENT, status=CaseStatus.CLOSED,
        closed_at=now - timedelta(days=12),
        title="Een gezin dat de post niet meer opent",
        question="Hoe krijg ik zicht op de schulden zonder dat het gezin dichtklapt?",
        situation=f"{FICTIONAL}\n\nEen gezin met drie kinderen (hier: gezin B.) krijgt "
                  "aanmaningen die ongeopend in een la liggen. De vader zegt dat alles onder "
                  "controle is; de moeder belt de school af als er een ouderavond is.",
        tried="Twee huisbezoeken, een folder over schuldhulp, een afspraak bij het "
              "wijkteam die niet doorging.",
        takeaway="Ik begin voortaan bij wat wél lukt in het gezin, niet bij de la met post.",
        lesson="Schaamte houdt mensen stil. Vraag in het eerste gesprek naar vaste lasten, "
               "als gewoon onderdeel van het gesprek.",
    )
    first = _comment(closed, sanne, now - timedelta(days=19),
                     "Herkenbaar. Wie in het gezin opent wél de deur als jij komt?")
    _comment(closed, mehmet, now - timedelta(days=19, hours=-2),
             "De oudste dochter. Zij vertaalt ook de brieven.", parent=first)
    _comment(closed, marieke, now - timedelta(days=18),
             "Misschien kan de school een rol spelen: daar komen ze wél.")
    soon = _meeting(circle, "Vroegsignalering in de wijk")
    shared = _case(
        circle, marieke, now - timedelta(days=3), added,
        meeting=soon, method=CaseMethod.GOSSIP, status=CaseStatus.SHARED,
        title="Signalen bij de voedselbank",
        question="Wanneer spreek ik iemand aan op wat ik zie, en wanneer niet?",
        situation=f"{FICTIONAL}\n\nEen vrijwilliger van de voedselbank vertelt over een "
                  "oudere man (hier: meneer K.) die al weken magerder wordt en zijn "
                  "pakket soms laat staan.",
        tried="Gevraagd of het goed gaat; hij zei dat hij niks nodig heeft.",
    )
    _comment(shared, lotte, now - timedelta(days=2),
             "Mag ik vragen wat de vrijwilliger zelf zou willen doen?")
    _case(
        circle, mehmet, now - timedelta(days=1), added,
        method=CaseMethod.FREE, status=CaseStatus.DRAFT,
        title="Huurachterstand na een scheiding (concept)",
        question="Nog uit te werken: wat vraag ik de kring?",
        situation=f"{FICTIONAL}\n\nEen moeder (hier: mevrouw R.) heeft sinds de scheiding "
                  "een huurachterstand van drie maanden.",
    )


def _ouderen_case(circle: Circle, who, now: datetime, added) -> None:
    sanne, mehmet = who("coordinator@example.org"), who("professional@example.org")
    first = _meeting(circle, "Casuïstiek ouderen thuis")
    case = _case(
        circle, sanne, now - timedelta(days=2), added,
        meeting=first, method=CaseMethod.SOCRATIC, status=CaseStatus.SHARED,
        title="Alleen thuis, maar niet eenzaam?",
        question="Wanneer is alleen wonen een keuze, en wanneer een zorg?",
        situation=f"{FICTIONAL}\n\nEen vrouw van in de tachtig woont alleen en zegt elke "
                  "hulp af. De buren maken zich zorgen; zijzelf zegt dat ze het prima heeft.",
        tried="Een gesprek met haar zoon, die ver weg woont.",
    )
    _comment(case, mehmet, now - timedelta(days=1),
             "Wat verstaat zij zelf onder ‘prima’? Dat zou ik eerst willen weten.")


def _reflection(author, at: datetime, added, **fields) -> None:
    reflection = Reflection(author=author, created_at=at, **fields)
    db.session.add(reflection)
    added.reflections += 1


def _has_reflections(user) -> bool:
    return db.session.scalar(
        sa.select(Reflection.id).where(Reflection.author_id == user.id).limit(1)
    ) is not None


def _reflections(armoede: Circle | None, who, now: datetime, added) -> None:
    """One reflection of each template, each shared differently."""
    mehmet, lotte = who("professional@example.org"), who("student@example.org")
    past = _meeting(armoede, "Casusbespreking: schulden en schaamte") if armoede else None
    if not _has_reflections(mehmet):
        _reflection(
            mehmet, now - timedelta(days=13), added,
            template=ReflectionTemplate.GIBBS, title="Na de casusbespreking over schaamte",
            sharing=Sharing.CIRCLE, circle=armoede, meeting=past,
            parts={
                "description": "Ik bracht de casus van gezin B. in; de kring gebruikte de "
                               "incidentmethode.",
                "feelings": "Vooraf was ik bang dat ik tekort was geschoten. Tijdens de "
                            "vragenronde voelde ik vooral opluchting.",
                "evaluation": "Goed: de vragen gingen over het gezin, niet over mij. "
                              "Minder goed: we hadden te weinig tijd voor adviezen.",
                "analysis": "Schaamte speelt bij het gezin én bij mij: ik stelde de "
                            "geldvraag niet omdat het ongemakkelijk voelde.",
                "conclusion": "Ik had eerder naar vaste lasten kunnen vragen, als gewoon "
                              "onderdeel van het gesprek.",
                "action_plan": "Bij elk eerste gesprek vraag ik naar vaste lasten, en ik "
                               "bespreek over een maand hoe dat gaat.",
            },
        )
        _reflection(
            mehmet, now - timedelta(days=5), added,
            template=ReflectionTemplate.FREE, title="Een vraag die bleef hangen",
            prompt="surprised", sharing=Sharing.PRIVATE,
            parts={"answer": "Hoe snel de oudste dochter de rol van tolk kreeg. Dat wil ik "
                             "volgende keer anders doen."},
        )
    if not _has_reflections(lotte):
        _reflection(
            lotte, now - timedelta(days=10), added,
            template=ReflectionTemplate.ALACT, title="Mijn eerste bijeenkomst als student",
            sharing=Sharing.MENTOR, circle=armoede, meeting=past,
            parts={
                "action": "Ik wilde vooral luisteren en één vraag stellen.",
                "looking_back": "Ik stelde geen vraag; ik wachtte te lang op het goede moment.",
                "awareness": "Ik denk dat mijn vraag ‘niet slim genoeg’ moet zijn; anderen "
                             "stelden juist eenvoudige vragen.",
                "alternatives": "Mijn vraag opschrijven en hem in de vragenronde als eerste "
                                "stellen.",
                "trial": "Bij de volgende bijeenkomst stel ik in de eerste ronde een vraag.",
            },
        )
