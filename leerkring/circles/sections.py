"""Parts of the circle page that later areas add (kitchen visit reports brought to the circle),
without circles importing them: an area registers ``section(circle, membership) -> Markup |
None`` on ``circle_sections`` when it is imported; the page shows every non-empty one, in
registration order."""

from leerkring.sections import Sections

circle_sections = Sections("circle page")
