"""Demo kitchen visits: hosted by demo people in several Werkplaatsen, placed around the day the
demo is loaded. Coming visits (one full with a waitlist, one online, one offer on three dates),
one waiting for approval, one cancelled, and two in the past whose visitors came from other
Werkplaatsen and wrote reports (and one a reflection). Every visit, address, report and
reflection is made up; a visit whose title exists already is left alone."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from leerkring.circles.models import Circle
from leerkring.extensions import db
from leerkring.meetings.models import Meeting
from leerkring.meetings.recurrence import to_local, to_utc
from leerkring.notes.models import Reflection, ReflectionTemplate, Sharing
from leerkring.visits import report_services, services
from leerkring.visits.models import Visit, VisitReport, VisitSignup
from leerkring.werkplaatsen.models import Theme, Werkplaats

ZONE = "Europe/Amsterdam"
FICTIONAL = "Dit keukenbezoek is verzonnen voor de demo; organisatie en adres bestaan niet."
REPORT_FICTIONAL = "(Verzonnen verslag voor de demo.)"
ADMIN = "admin@example.org"


def _at(day: date, hour: int) -> datetime:
    """The instant of a local wall-clock hour (an hour that does not exist moves one later)."""
    local = datetime.combine(day, time(hour))
    return to_utc(local, ZONE) or to_utc(local + timedelta(hours=1), ZONE)


@dataclass
class Context:
    today: date
    who: object
    werkplaatsen: dict[str, Werkplaats]
    themes: dict[str, Theme]
    added: object


def add_visits(people, added) -> None:
    """Add the demo kitchen visits; ``added`` (demo.Added) counts what was made."""
    ctx = Context(
        today=to_local(datetime.now(UTC), ZONE).date(),
        who=people.__getitem__,
        werkplaatsen={w.slug: w for w in db.session.scalars(sa.select(Werkplaats))},
        themes={t.slug: t for t in db.session.scalars(sa.select(Theme))},
        added=added,
    )
    for add in (_full_with_waitlist, _online, _three_dates, _pending, _cancelled,
                _past_with_reports, _past_for_the_library):
        add(ctx)


def _exists(title: str) -> bool:
    return db.session.scalar(sa.select(Visit.id).where(Visit.title == title).limit(1)) is not None


def _offer(ctx: Context, host_email: str, werkplaats: str, days: list[int], hours: tuple,
           *, themes: tuple, audiences: tuple, approve: bool = True, **details) -> list[Visit]:
    """Offer the visit on the given days (local times); a Werkplaats that approves first has it
    approved by the association admin, unless ``approve`` is false."""
    (start_hour, end_hour) = hours
    slots = [
        services.Slot(_at(ctx.today + timedelta(days=n), start_hour),
                      _at(ctx.today + timedelta(days=n), end_hour))
        for n in days
    ]
    details.setdefault("description", "")
    details["description"] = f"{details['description']}\n\n*{FICTIONAL}*"
    visits = services.offer_visits(
        ctx.who(host_email), ctx.werkplaatsen[werkplaats], slots,
        themes=[ctx.themes[slug] for slug in themes], audiences=audiences,
        timezone=ZONE, **details,
    )
    for visit in visits:
        visit.created_at = min(visit.starts_at, datetime.now(UTC)) - timedelta(days=21)
        if approve and not visit.is_published:
            services.approve(visit, ctx.who(ADMIN))
    ctx.added.visits += len(visits)
    return visits


def _sign_up(ctx: Context, visit: Visit, email: str, goal: str) -> VisitSignup:
    signup = services.sign_up(visit, ctx.who(email), goal)
    ctx.added.visit_signups += 1
    return signup


def _came(ctx: Context, visit: Visit, email: str, goal: str) -> VisitSignup:
    """A sign-up made before a visit that has happened (the service takes sign-ups only until
    it starts), with its place counted through the shared places code."""
    signup = VisitSignup(visit_id=visit.id, user_id=ctx.who(email).id, learning_goal=goal,
                         created_at=visit.starts_at - timedelta(days=10))
    db.session.add(signup)
    db.session.flush()
    services.PLACES.ask(visit, signup)
    ctx.added.visit_signups += 1
    return signup


def _report(ctx: Context, visit: Visit, email: str, *, circles=(), offered=False,
            **parts) -> VisitReport:
    """The visitor's report through the service, dated the day after the visit."""
    parts["saw"] = f"{parts['saw']}\n\n{REPORT_FICTIONAL}"
    report = report_services.save_report(
        visit, ctx.who(email), None, offered=offered,
        circles=[circle for circle in circles if circle is not None], **parts,
    )
    report.created_at = visit.ends_at + timedelta(days=1)
    for link in report.circles:
        link.attached_at = report.created_at
    if offered:
        report.library_consent_at = report.created_at
    ctx.added.visit_reports += 1
    return report


def _circle_named(name: str) -> Circle | None:
    return db.session.scalar(sa.select(Circle).where(Circle.name == name))


def _next_meeting(circle: Circle) -> Meeting | None:
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.circle_id == circle.id, Meeting.starts_at > datetime.now(UTC))
        .order_by(Meeting.starts_at).limit(1)
    )


# Coming visits ----------------------------------------------------------------------------------


def _full_with_waitlist(ctx: Context) -> None:
    title = "Aan de keukentafel: huisbezoeken tegen eenzaamheid"
    if _exists(title):
        return
    # Friesland publishes its members' visits without waiting for approval.
    services.set_needs_approval(ctx.werkplaatsen["friesland"], False)
    (visit,) = _offer(
        ctx, "fenna.dijkstra@example.org", "friesland", [10], (10, 13),
        themes=("ondersteuning-ouderen", "sociale-verbondenheid"),
        audiences=("professionals", "students"),
        title=title,
        description="Ga een ochtend mee met ons sociaal team langs ouderen die alleen wonen "
                    "op het platteland. Je ziet hoe we een gesprek over eenzaamheid beginnen "
                    "zonder dat woord te noemen, en hoe vrijwilligers het contact houden.",
        host_organisation="Sociaal team Waddenkust (fictief)",
        place_address="Dorpsstraat 1, Voorbeeldum (fictief adres)",
        accessibility="We rijden samen in een auto; niet elk huis is rolstoeltoegankelijk.",
        max_places=3,
    )
    _sign_up(ctx, visit, "professional@example.org",
             "Hoe begin je over eenzaamheid zonder dat iemand zich schaamt?")
    _sign_up(ctx, visit, "priya.ramdin@example.org",
             "Wat vrijwilligers nodig hebben om het contact vol te houden.")
    _sign_up(ctx, visit, "daan.groen@example.org",
             "Voor mijn stage: hoe een huisbezoek is opgebouwd.")
    _sign_up(ctx, visit, "student@example.org",
             "Ik wil zien hoe jullie signalen van eenzaamheid oppikken.")  # waits


def _online(ctx: Context) -> None:
    title = "Online: jongerenwerk op straat en in de groepsapp"
    if _exists(title):
        return
    (visit,) = _offer(
        ctx, "youssef.bakker@example.org", "amsterdam-en-omgeving", [6], (16, 17),
        themes=("polarisatie-en-vertrouwen",),
        audiences=("professionals", "policymakers", "students"),
        title=title,
        description="Een uur online meekijken: hoe jongerenwerkers spanningen in de buurt "
                    "oppikken, op straat en in groepsapps, en wanneer ze wel of niet ingrijpen.",
        host_organisation="Jongerenwerk Noordoever (fictief)",
        online_url="https://meet.jit.si/leerkring-demo-keukenbezoek",
        accessibility="Online, met ondertiteling aan.",
    )
    _sign_up(ctx, visit, "anouk.meijer@example.org",
             "Wat de gemeente kan doen zonder het vertrouwen van jongeren te schaden.")


def _three_dates(ctx: Context) -> None:
    title = "Spreekuur Geldzaken op de hogeschool"
    if _exists(title):
        return
    first, *_ = _offer(
        ctx, "ellen.post@example.org", "noord-brabant-fontys", [14, 21, 28], (13, 15),
        themes=("armoede",),
        audiences=("lecturers", "students", "professionals"),
        title=title,
        description="Studenten en ervaringsdeskundigen houden samen een spreekuur voor "
                    "jongeren met geldzorgen. Kijk mee en praat na met het team.",
        host_organisation="Lectoraat Schulden en bestaanszekerheid (fictief)",
        place_address="Voorbeeldlaan 10, Kempenstad (fictief adres)",
        accessibility="Begane grond; er is een invalidentoilet.",
        max_places=6,
    )
    _sign_up(ctx, first, "lecturer@example.org",
             "Hoe we zo'n spreekuur in ons eigen onderwijs kunnen opnemen.")


def _pending(ctx: Context) -> None:
    title = "Bij de voedselbank: signalen herkennen"
    if _exists(title):
        return
    # Twente approves first: this one waits for its admin, the demo coordinator.
    _offer(
        ctx, "marieke.smit@example.org", "twente", [18], (9, 11), approve=False,
        themes=("armoede", "sociale-basis"),
        audiences=("professionals", "students"),
        title=title,
        description="Loop een uitgiftemoment mee en hoor van vrijwilligers welke signalen zij "
                    "zien, en wat ze ermee doen.",
        host_organisation="Welzijn Oost (fictief)",
        place_address="Havenstraat 3, Enschede (fictief adres)",
        max_places=4,
    )


def _cancelled(ctx: Context) -> None:
    title = "Buurtgesprek in de bibliotheek"
    if _exists(title):
        return
    (visit,) = _offer(
        ctx, "priya.ramdin@example.org", "den-haag-leiden", [12], (19, 21),
        themes=("polarisatie-en-vertrouwen",),
        audiences=("professionals", "policymakers"),
        title=title,
        description="Een avond waarop bewoners met elkaar in gesprek gaan over wat er in de "
                    "buurt speelt, begeleid door buurtwerkers.",
        host_organisation="Buurtwerk Duinzicht (fictief)",
        place_address="Bibliotheekplein 2, Duinstede (fictief adres)",
        max_places=8,
    )
    _sign_up(ctx, visit, "noor.veldkamp@example.org",
             "Hoe je zo'n gesprek voorbereidt met bewoners.")
    services.cancel_visit(visit)


# Visits that happened ---------------------------------------------------------------------------


def _past_with_reports(ctx: Context) -> None:
    title = "Ervaringsdeskundigen in het wijkteam"
    if _exists(title):
        return
    (visit,) = _offer(
        ctx, "bart.hendriks@example.org", "regio-zwolle", [-20], (13, 16),
        themes=("ervaringsdeskundigheid", "lerende-praktijken"),
        audiences=("professionals", "lecturers"),
        title=title,
        description="Een middag bij een wijkteam waar ervaringsdeskundigen vast meedraaien: "
                    "in het teamoverleg, bij huisbezoeken en in de intervisie.",
        host_organisation="Ervaringsnetwerk IJsselland (fictief)",
        place_address="Voorbeeldweg 5, Zwolle (fictief adres)",
        max_places=5,
    )
    _came(ctx, visit, "professional@example.org",
          "Hoe ervaringsdeskundigen en professionals samen een huisbezoek doen.")
    _came(ctx, visit, "fenna.dijkstra@example.org",
          "Wat het team heeft moeten veranderen om dit mogelijk te maken.")
    _came(ctx, visit, "coordinator@example.org",
          "Of dit ook in onze wijkteams in Twente zou passen.")
    armoede = _circle_named("Armoede in de wijk")
    mehmet = _report(
        ctx, visit, "professional@example.org", circles=[armoede],
        saw="Een teamoverleg waarin de ervaringsdeskundige als eerste mocht zeggen wat hem "
            "opviel aan een casus (hier: gezin M.).",
        surprised="Hoe vanzelfsprekend het was: niemand keek op toen hij het team tegensprak.",
        take_home="Ik wil in onze kring bespreken of wij een ervaringsdeskundige vast kunnen "
                  "uitnodigen.",
    )
    for link in mehmet.circles:
        report_services.put_on_agenda(link, _next_meeting(link.circle))
    db.session.add(Reflection(
        author=ctx.who("professional@example.org"), template=ReflectionTemplate.FREE,
        prompt="surprised", sharing=Sharing.PRIVATE, visit=visit,
        title="Na het keukenbezoek in Zwolle", created_at=visit.ends_at + timedelta(days=2),
        parts={"answer": "Dat ik zelf zo weinig vraag wat een bewoner al weet. (Verzonnen "
                         "reflectie voor de demo.)"},
    ))
    ctx.added.reflections += 1
    fenna = _report(
        ctx, visit, "fenna.dijkstra@example.org",
        saw="Een huisbezoek dat de ervaringsdeskundige leidde, met de professional ernaast.",
        surprised="Dat de bewoner vooral met de ervaringsdeskundige wilde praten.",
        take_home="Ervaring is een bron van kennis, niet alleen een manier om contact te maken.",
    )
    report_services.respond(
        fenna, "Dank je, Fenna. Wat je zag bij dat huisbezoek hebben we in het team "
               "nabesproken; kom gerust nog eens terug. (Verzonnen reactie voor de demo.)",
    )
    fenna.responded_at = visit.ends_at + timedelta(days=3)


def _past_for_the_library(ctx: Context) -> None:
    title = "Beleid aan de keukentafel"
    if _exists(title):
        return
    (visit,) = _offer(
        ctx, "policymaker@example.org", "kus", [-40], (10, 12),
        themes=("lerende-praktijken", "impact"),
        audiences=("policymakers", "lecturers"),
        title=title,
        description="Beleidsmakers van de gemeente schuiven aan bij een wijkteam en leggen "
                    "een beleidsvraag voor aan de praktijk.",
        host_organisation="Gemeente Domstad (fictief)",
        place_address="Stadsplein 1, Domstad (fictief adres)",
        max_places=6,
    )
    _came(ctx, visit, "noor.veldkamp@example.org",
          "Hoe je een beleidsvraag zo stelt dat de praktijk er iets mee kan.")
    _came(ctx, visit, "lecturer@example.org",
          "Voorbeelden voor mijn studenten bestuurskunde.")
    _report(
        ctx, visit, "lecturer@example.org", offered=True,
        circles=[_circle_named("Ervaringsdeskundigen aan tafel")],
        saw="Een wijkteam dat een beleidsvraag over vroegsignalering terugvertaalde naar drie "
            "concrete situaties uit de wijk.",
        surprised="De beleidsmakers stelden meer vragen dan ze antwoorden gaven.",
        take_home="Ik laat studenten voortaan een beleidsvraag eerst aan een professional "
                  "voorleggen.",
    )
