"""Demo library items: published products of several Werkplaatsen and national ones, over every
kind, the four O's, the themes and several years, some public; two with a small PDF made here;
one submitted and waiting for Twente's admin (the demo coordinator), and one draft of the demo
professional. Every item is made up; an item whose title exists already is left alone."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from leerkring.extensions import db
from leerkring.library import item_services, storage
from leerkring.library.models import FourO, ItemKind, ItemStatus, LibraryItem
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
        "Wat we leerden: schulden en schaamte",
        "Uit een leerkring over armoede: schaamte houdt mensen weg bij hulp; een vaste, "
        "bekende contactpersoon helpt.",
        K.LESSON, "professional@example.org", 2025,
        body="Vraag niet alleen naar geld, maar ook naar wat iemand nog wel lukt.",
        os=(Os.ONDERSTEUNING, Os.ONDERWIJS), themes=("armoede",), werkplaatsen=("twente",),
        licence="CC BY-NC-SA 4.0",
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


def add_library(people, added) -> None:
    """Add the demo library items; ``added`` (demo.Added) counts what was made."""
    werkplaatsen = {w.slug: w for w in db.session.scalars(sa.select(Werkplaats))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    for demo in ITEMS:
        if db.session.scalar(
            sa.select(LibraryItem.id).where(LibraryItem.title == demo.title).limit(1)
        ) is not None:
            continue
        _add(demo, people, werkplaatsen, themes)
        added.library_items += 1


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
