"""Parts of the meeting page that later areas add (cases on the agenda, reflections), without
meetings importing them: an area registers ``section(meeting, membership) -> Markup | None``
when it is imported, and the meeting page shows every non-empty one, in registration order."""

from collections.abc import Callable

from markupsafe import Markup

Section = Callable[..., Markup | None]

_sections: list[Section] = []


def register_section(section: Section) -> None:
    _sections.append(section)


def render_sections(meeting, membership) -> list[Markup]:
    return [html for section in _sections if (html := section(meeting, membership))]
