"""Demo library items: published products of several Werkplaatsen and national ones, over every
kind, the four O's, the themes and several years, some public; two with a small PDF made here;
one submitted and waiting for Twente's admin (the demo coordinator), and one draft of the demo
professional. The lesson of the closed demo case is shared by its author and published, a published
item is on the agenda of a coming meeting, and theme groups have followers, the programme its
ambassador and content expert. Every item is made up; an item whose title exists already, a theme
group that has people and a circle with library items on its agenda are left alone."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.library import item_services, sharing_services, storage, theme_services
from leerkring.library.models import (
    FourO,
    ItemKind,
    ItemPlacement,
    ItemStatus,
    LibraryItem,
    ThemePerson,
    ThemeRole,
)
from leerkring.notes.models import CaseNote, CaseStatus
from leerkring.werkplaatsen.models import Theme, Werkplaats

ADMIN = "admin@example.org"
TWENTE_ADMIN = "coordinator@example.org"
FICTIONAL = "*Verzonnen voor de demo: dit product, zijn makers en zijn bronnen bestaan niet.*"

Os = FourO
K = ItemKind


@dataclass
class DemoItem:
    title: str
    summary: str
    kind: ItemKind
    maker: str
    year: int
    body: str = ""
    os: tuple = ()
    themes: tuple = ()
    werkplaatsen: tuple = ()
    co_authors: tuple = ()
    other_authors: str = ""
    licence: str = "CC BY 4.0"
    link_url: str = ""
    is_public: bool = False
    status: ItemStatus = ItemStatus.PUBLISHED
    #: Lines of a small PDF made for the item.
    pdf: list[str] = field(default_factory=list)


ITEMS = [
    DemoItem(
        "Buurtgesprekken over armoede: een werkwijze",
        "Hoe sociaal werkers met bewoners in gesprek gaan over rondkomen, zonder te oordelen: "
        "voorbereiding, gespreksvragen en wat je daarna doet.",
        K.METHOD, "coordinator@example.org", 2024,
        body="## Stappen\n\n1. Zoek een plek waar bewoners al komen.\n2. Begin met luisteren.\n"
             "3. Maak samen een afspraak voor een vervolg.",
        os=(Os.ONTWIKKELING, Os.ONDERSTEUNING), themes=("armoede",), werkplaatsen=("twente",),
        co_authors=("professional@example.org",), is_public=True,
        pdf=["Buurtgesprekken over armoede", "Een werkwijze voor sociaal werkers",
             "Stap 1: zoek een plek waar bewoners al komen."],
    ),
    DemoItem(
        "Eenzame ouderen bereiken via de huisarts",
        "Onderzoek naar samenwerking tussen huisartsen en welzijnswerk om eenzaamheid bij "
        "ouderen eerder te zien.",
        K.REPORT, "joris.molenaar@example.org", 2023,
        os=(Os.ONDERZOEK,), themes=("ondersteuning-ouderen", "sociale-verbondenheid"),
        werkplaatsen=("friesland",), other_authors="Lectoraat Sociale Kwaliteit (verzonnen)",
        is_public=True,
        pdf=["Eenzame ouderen bereiken via de huisarts", "Onderzoeksrapport (demo)"],
    ),
    DemoItem(
        "Leerkringen opzetten in je Werkplaats",
        "Een handreiking voor coördinatoren: wie nodig je uit, hoe vaak kom je bij elkaar en "
        "hoe houd je het levend.",
        K.TOOL, "lecturer@example.org", 2025,
        body="Een leerkring heeft een vaste kern en een open rand.",
        os=(Os.ONDERWIJS, Os.ONTWIKKELING), themes=("lerende-praktijken",),
        werkplaatsen=("regio-zwolle",), licence="CC BY-SA 4.0", is_public=True,
    ),
    DemoItem(
        "Ervaringsdeskundigen in het wijkteam",
        "Wat ervaringsdeskundigen toevoegen aan een wijkteam, en wat het team moet regelen om "
        "hen goed te laten werken.",
        K.PUBLICATION, "bart.hendriks@example.org", 2022,
        body="Ervaringskennis is een eigen bron van kennis, naast praktijk en onderzoek.",
        os=(Os.ONDERZOEK, Os.ONDERSTEUNING), themes=("ervaringsdeskundigheid",),
        werkplaatsen=("regio-zwolle", "twente"), licence="CC BY-NC 4.0",
    ),
    DemoItem(
        "Polarisatie in de wijk bespreekbaar maken",
        "Een korte video over een gespreksavond in een wijk waar spanningen opliepen.",
        K.VIDEO, "priya.ramdin@example.org", 2024,
        link_url="https://video.example.org/polarisatie-in-de-wijk",
        os=(Os.ONDERSTEUNING,), themes=("polarisatie-en-vertrouwen",),
        werkplaatsen=("den-haag-leiden",), licence="All rights reserved", is_public=True,
    ),
    DemoItem(
        "Impact van leerkringen meten",
        "Welke cijfers en verhalen laten zien wat een leerkring oplevert, en welke niet.",
        K.PUBLICATION, "policymaker@example.org", 2025,
        body="Tel bijeenkomsten, maar vraag ook wat deelnemers anders zijn gaan doen.",
        os=(Os.ONDERZOEK, Os.ONTWIKKELING), themes=("impact",),
        other_authors="Werkgroep Impact (verzonnen)",
    ),
    DemoItem(
        "Keukenbezoek: de buurtkamer in Leeuwarden",
        "Wat bezoekers uit drie Werkplaatsen zagen in een buurtkamer die door bewoners zelf "
        "wordt gerund.",
        K.VISIT_REPORT, "fenna.dijkstra@example.org", 2025,
        body="De sleutel ligt bij de bewoners; de sociaal werker schuift aan.",
        os=(Os.ONDERSTEUNING,), themes=("sociale-basis",), werkplaatsen=("friesland",),
    ),
    DemoItem(
        "De sociale basis in kaart",
        "Een werkblad om met bewoners en organisaties de voorzieningen in een buurt in kaart te "
        "brengen.",
        K.TOOL, "tim.oosterhuis@example.org", 2021,
        body="Teken de buurt, zet er plekken op waar mensen elkaar ontmoeten.",
        os=(Os.ONTWIKKELING,), themes=("sociale-basis",), werkplaatsen=("noord",),
        licence="CC0", is_public=True,
    ),
    DemoItem(
        "Studenten in de leerkring: een handreiking",
        "Hoe studenten meedoen in leerkringen en wat praktijkbegeleiders en docenten daarbij "
        "doen.",
        K.METHOD, "ellen.post@example.org", 2023,
        body="Studenten brengen vragen mee die de praktijk scherp houden.",
        os=(Os.ONDERWIJS,), themes=("lerende-praktijken",),
    ),
    DemoItem(
        "Samen koken in de buurt: een evaluatie",
        "Een evaluatie van een kookproject met ouderen en buurtbewoners in Twente.",
        K.REPORT, "marieke.smit@example.org", 2025,
        body="Het project bereikte vooral ouderen die al in de buurt actief waren.",
        os=(Os.ONDERZOEK,), themes=("ondersteuning-ouderen",), werkplaatsen=("twente",),
        status=ItemStatus.SUBMITTED,
    ),
    DemoItem(
        "Checklist huisbezoek bij eenzaamheid",
        "Een eerste versie van een checklist voor het eerste huisbezoek.",
        K.TOOL, "professional@example.org", 2026,
        body="- Hoe vaak ziet u iemand?\n- Met wie praat u als er iets is?",
        os=(Os.ONDERSTEUNING,), themes=("sociale-verbondenheid",), werkplaatsen=("twente",),
        status=ItemStatus.DRAFT,
    ),
]


#: The closed demo case (demo_notes) whose lesson its author shares, and how they complete the
#: draft before it is submitted.
LESSON_CASE = "Een gezin dat de post niet meer opent"
LESSON_TITLE = "Wat we leerden: schulden en schaamte"
LESSON_SUMMARY = (
    "Uit een leerkring over armoede: schaamte houdt mensen stil; wie in het eerste gesprek "
    "gewoon naar vaste lasten vraagt, hoort meer."
)
LESSON_MORE = "Vraag niet alleen naar geld, maar ook naar wat iemand nog wel lukt."
LESSON_OS = (Os.ONDERSTEUNING, Os.ONDERWIJS)
LESSON_LICENCE = "CC BY-NC-SA 4.0"

R = ThemeRole
#: Per theme: (e-mail, role, shown on the theme's page) of people who follow it.
THEME_GROUPS = {
    "ondersteuning-ouderen": (
        ("fenna.dijkstra@example.org", R.AMBASSADOR, True),
        ("joris.molenaar@example.org", R.CONTENT_EXPERT, True),
        ("marieke.smit@example.org", R.MEMBER, True),
        ("professional@example.org", R.MEMBER, False),
    ),
    "armoede": (
        ("professional@example.org", R.MEMBER, True),
        ("ellen.post@example.org", R.MEMBER, True),
        ("coordinator@example.org", R.MEMBER, False),
        ("kees.vermeulen@example.org", R.MEMBER, False),
    ),
    "lerende-praktijken": (
        ("coordinator@example.org", R.MEMBER, True),
        ("policymaker@example.org", R.MEMBER, False),
    ),
    "sociale-verbondenheid": (
        ("lecturer@example.org", R.MEMBER, True),
    ),
}

#: (item title, circle name, its coordinator): the item goes on the circle's next meeting.
PLACEMENT = (
    "Eenzame ouderen bereiken via de huisarts", "Casuïstiek ouderen thuis",
    "coordinator@example.org",
)


def add_library(people, added) -> None:
    """Add the demo library items, the shared lesson, the theme groups' people and an item on a
    meeting's agenda; ``added`` (demo.Added) counts what was made."""
    werkplaatsen = {w.slug: w for w in db.session.scalars(sa.select(Werkplaats))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    for demo in ITEMS:
        if _titled(demo.title):
            continue
        _add(demo, people, werkplaatsen, themes)
        added.library_items += 1
    if _share_lesson(people):
        added.library_items += 1
    for slug, group in THEME_GROUPS.items():
        added.theme_followers += _theme_group(themes[slug], group, people)
    added.placements += _place(people)


def _titled(title: str) -> bool:
    return db.session.scalar(
        sa.select(LibraryItem.id).where(LibraryItem.title == title).limit(1)
    ) is not None


def _publisher(item: LibraryItem, people):
    """An admin of the item's Werkplaats, or the association's admin."""
    for werkplaats in item.werkplaatsen:
        if werkplaats.admins:
            return werkplaats.admins[0]
    return people[ADMIN]


def _share_lesson(people) -> LibraryItem | None:
    """The closed demo case's lesson as a library item: shared by the case's author, completed,
    submitted and published. Nothing when the case is gone or its lesson was shared already."""
    case = db.session.scalar(
        sa.select(CaseNote)
        .where(CaseNote.title == LESSON_CASE, CaseNote.status == CaseStatus.CLOSED)
        .order_by(CaseNote.id).limit(1)
    )
    if (case is None or not case.lesson.strip() or _titled(LESSON_TITLE)
            or sharing_services.shared_item(case_id=case.id) is not None):
        return None
    circle = case.circle
    draft = sharing_services.case_draft(case)
    item = sharing_services.share_case(
        case, case.author, title=LESSON_TITLE, summary=LESSON_SUMMARY,
        body=f"{draft['body']}\n\n{LESSON_MORE}\n\n{FICTIONAL}",
        other_authors=draft["other_authors"],
        themes=[circle.theme] if circle.theme else [],
        werkplaats=sharing_services.regional(circle.werkplaats),
    )
    item_services.update_item(item, os=list(LESSON_OS), licence=LESSON_LICENCE)
    item_services.submit(item)
    item_services.publish(item, _publisher(item, people))
    return item


def _theme_group(theme: Theme, group, people) -> int:
    """Add the theme group's people, unless it has people already; returns how many."""
    if db.session.scalar(
        sa.select(ThemePerson.id).where(ThemePerson.theme_id == theme.id).limit(1)
    ) is not None:
        return 0
    for email, role, visible in group:
        user = people[email]
        theme_services.set_following(theme, user, True)
        if role != ThemeRole.MEMBER:
            theme_services.name_role(theme, email, role)
        theme_services.set_visible(theme, user, visible)
    return len(group)


def _place(people) -> int:
    """Bring the published item into the circle's next meeting, unless the circle has library
    items on its agenda already or no coming meeting; returns how many were placed."""
    title, circle_name, email = PLACEMENT
    item = db.session.scalar(
        sa.select(LibraryItem)
        .where(LibraryItem.title == title, LibraryItem.status == ItemStatus.PUBLISHED)
        .order_by(LibraryItem.id).limit(1)
    )
    circle = db.session.scalar(sa.select(Circle).where(Circle.name == circle_name))
    if item is None or circle is None or db.session.scalar(
        sa.select(ItemPlacement.id).where(ItemPlacement.circle_id == circle.id).limit(1)
    ) is not None:
        return 0
    coordinator = people[email]
    meetings = sharing_services.coming_meetings_to_bring(coordinator).get(circle)
    if not meetings:
        return 0
    sharing_services.bring(item, meetings[0], coordinator)
    return 1


def _add(demo: DemoItem, people, werkplaatsen, themes) -> LibraryItem:
    maker = people[demo.maker]
    document = None
    if demo.pdf:
        data = minimal_pdf(demo.pdf)
        document = storage.Checked(data=data, content_type=storage.PDF,
                                   name=storage.safe_name(demo.title[:60], storage.PDF))
    item = item_services.create_item(
        maker, document=document,
        title=demo.title, summary=demo.summary, kind=demo.kind, year=demo.year,
        body=f"{demo.body}\n\n{FICTIONAL}".strip(), link_url=demo.link_url,
        os=list(demo.os), themes=[themes[slug] for slug in demo.themes],
        werkplaatsen=[werkplaatsen[slug] for slug in demo.werkplaatsen],
        authors=[maker, *(people[email] for email in demo.co_authors)],
        other_authors=demo.other_authors, licence=demo.licence, is_public=demo.is_public,
    )
    if demo.status != ItemStatus.DRAFT:
        item_services.submit(item)
    if demo.status == ItemStatus.PUBLISHED:
        publisher = people[TWENTE_ADMIN] if demo.werkplaatsen == ("twente",) else people[ADMIN]
        item_services.publish(item, publisher)
    return item


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` in Helvetica, whose text a PDF reader can extract. Only
    Latin-1 characters are kept."""
    text = " ".join(
        f"({_pdf_text(line)}) Tj 0 -18 Td" for line in lines
    )
    stream = f"BT /F1 14 Tf 72 770 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
