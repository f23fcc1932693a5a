"""My reflections, the learning journal: a member's own reflections, newest first, filtered by
circle, template and period (days in the member's own time zone), and exported whole as a
Markdown or plain-text file."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import make_response, request
from flask_babel import format_date, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from leerkring.circles.models import Circle, Membership
from leerkring.extensions import db
from leerkring.notes import bp
from leerkring.notes.models import Reflection, ReflectionTemplate
from leerkring.notes.reflection_forms import SHARING_LABELS, JournalFilterForm
from leerkring.notes.reflection_templates import TEMPLATES, written_parts
from leerkring.notes.reflections import About, about, local_today
from leerkring.web import paginate, render


def journal_circles(user) -> list[Circle]:
    """The circles to filter by: the user's own, and those their reflections belong to."""
    mine = sa.select(Membership.circle_id).where(Membership.user_id == user.id)
    written = sa.select(Reflection.circle_id).where(Reflection.author_id == user.id)
    return list(db.session.execute(
        sa.select(Circle).where(sa.or_(Circle.id.in_(mine), Circle.id.in_(written)))
        .order_by(Circle.name, Circle.id)
    ).scalars())


def memberships_by_circle(user) -> dict[int, Membership]:
    rows = db.session.execute(sa.select(Membership).where(Membership.user_id == user.id))
    return {membership.circle_id: membership for membership in rows.scalars()}


def start_of(day: date) -> datetime:
    """The first instant of ``day`` in the user's time zone."""
    zone = ZoneInfo(str(get_timezone()))
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def journal_select(user, filters: dict) -> sa.Select:
    """The user's own reflections matching ``filters`` (see ``JournalFilterForm.filters``),
    with what a page or an export shows of each; not yet ordered."""
    query = (
        sa.select(Reflection)
        .where(Reflection.author_id == user.id)
        .options(
            joinedload(Reflection.circle),
            joinedload(Reflection.meeting),
            joinedload(Reflection.case),
            joinedload(Reflection.visit),
        )
    )
    if filters["circle"] == JournalFilterForm.NO_CIRCLE:
        query = query.where(Reflection.circle_id.is_(None))
    elif filters["circle"]:
        query = query.where(Reflection.circle_id == int(filters["circle"]))
    if filters["template"]:
        query = query.where(Reflection.template == ReflectionTemplate(filters["template"]))
    if filters["since"]:
        query = query.where(Reflection.created_at >= start_of(filters["since"]))
    if filters["until"]:
        query = query.where(
            Reflection.created_at < start_of(filters["until"] + timedelta(days=1))
        )
    return query


def read_filters() -> tuple[JournalFilterForm, dict, dict]:
    """The filter form, the valid filters, and the same as query-string arguments (for the
    pages, the export links and the pager)."""
    form = JournalFilterForm(formdata=request.args, circles=journal_circles(current_user))
    filters = form.filters()
    args = {name: value.isoformat() if isinstance(value, date) else value
            for name, value in filters.items() if value}
    return form, filters, args


def abouts(reflections, memberships) -> dict[int, About | None]:
    return {
        r.id: about(r, current_user, memberships.get(r.circle_id)) for r in reflections
    }


def has_reflections(user) -> bool:
    return db.session.execute(
        sa.select(Reflection.id).where(Reflection.author_id == user.id).limit(1)
    ).first() is not None


@bp.get("/reflections/")
def journal():
    form, filters, args = read_filters()
    results = paginate(
        journal_select(current_user, filters)
        .order_by(Reflection.created_at.desc(), Reflection.id.desc())
    )
    has_any = results.total > 0 or (bool(args) and has_reflections(current_user))
    return render(
        "notes/journal.html", "notes/_reflection_list.html",
        form=form, results=results, filters=args, has_any=has_any,
        abouts=abouts(results.items, memberships_by_circle(current_user)),
        templates=TEMPLATES, sharing_labels=SHARING_LABELS,
    )


# The export -------------------------------------------------------------------------------------


def export_entries(filters: dict) -> list[dict]:
    """Every matching reflection in full, oldest first (a journal reads in time order)."""
    reflections = db.session.execute(
        journal_select(current_user, filters)
        .order_by(Reflection.created_at, Reflection.id)
    ).scalars().unique().all()
    memberships = memberships_by_circle(current_user)
    return [
        {
            "title": r.title,
            "facts": facts(r, about(r, current_user, memberships.get(r.circle_id))),
            "parts": written_parts(r),
        }
        for r in reflections
    ]


def about_text(subject: About | None) -> str:
    if subject is None:
        return ""
    if subject.kind == "meeting":
        if subject.title is None:
            return _("a meeting you can no longer open")
        return _("the meeting “%(title)s” of %(date)s", title=subject.title,
                 date=format_date(subject.starts_at, "long"))
    if subject.kind == "visit":
        if subject.title is None:
            return _("a kitchen visit you can no longer open")
        return _("the kitchen visit “%(title)s” of %(date)s", title=subject.title,
                 date=format_date(subject.starts_at, "long"))
    if subject.title is None:
        return _("a case you can no longer open")
    return _("the case “%(title)s”", title=subject.title)


def facts(reflection, subject: About | None) -> list[tuple[str, str]]:
    """Date, template, what it is about, circle and sharing, as (label, value) lines."""
    lines = [
        (_("Date"), format_date(reflection.created_at, "long")),
        (_("Template"), str(TEMPLATES[reflection.template].name)),
    ]
    if subject is not None:
        lines.append((_("About"), about_text(subject)))
    if reflection.circle is not None:
        lines.append((_("Circle"), reflection.circle.name))
    lines.append((_("Who can read it"), str(SHARING_LABELS[reflection.sharing])))
    return lines


def heading() -> tuple[str, str]:
    return (
        _("My reflections"),
        _("%(name)s, exported from Leerkring on %(date)s", name=current_user.name,
          date=format_date(local_today(), "long")),
    )


def as_markdown(entries: list[dict]) -> str:
    title, subtitle = heading()
    lines = [f"# {title}", "", subtitle, ""]
    if not entries:
        lines += [_("No reflection matches these filters."), ""]
    for entry in entries:
        lines += ["", f"## {entry['title']}", ""]
        lines += [f"- **{label}:** {value}" for label, value in entry["facts"]]
        for label, text in entry["parts"]:
            lines += ["", f"### {label}", "", text.strip()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def as_text(entries: list[dict]) -> str:
    title, subtitle = heading()
    lines = [title.upper(), subtitle, ""]
    if not entries:
        lines += [_("No reflection matches these filters."), ""]
    for entry in entries:
        rule = "=" * min(max(len(entry["title"]), 3), 72)
        lines += ["", rule, entry["title"], rule]
        lines += [f"{label}: {value}" for label, value in entry["facts"]]
        for label, text in entry["parts"]:
            lines += ["", label, "-" * min(len(label), 72), text.strip()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def download(body: str, extension: str, mimetype: str):
    response = make_response(body)
    response.mimetype = mimetype
    response.charset = "utf-8"
    stem = _("reflections")
    filename = f"{stem}-{local_today().isoformat()}.{extension}"
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


@bp.get("/reflections/export.md")
def export_markdown():
    _form, filters, _args = read_filters()
    return download(as_markdown(export_entries(filters)), "md", "text/markdown")


@bp.get("/reflections/export.txt")
def export_text():
    _form, filters, _args = read_filters()
    return download(as_text(export_entries(filters)), "txt", "text/plain")
