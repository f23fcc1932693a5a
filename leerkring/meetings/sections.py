"""Parts of the meeting page that later areas add (cases on the agenda, reflections, visit
reports), without meetings importing them: an area registers ``section(meeting, membership) ->
Markup | None`` when it is imported, and the meeting page shows every non-empty one, in
registration order."""

from leerkring.sections import Section, Sections

__all__ = ["Section", "meeting_sections", "register_section", "render_sections"]

meeting_sections = Sections("meeting page")

register_section = meeting_sections.register


def render_sections(meeting, membership) -> list:
    return meeting_sections.render(meeting, membership)
