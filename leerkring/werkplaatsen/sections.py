"""Parts of the theme pages that later areas add (upcoming meetings, visits and library items on
the theme, its people, following it), without werkplaatsen importing them: an area registers
``section(theme) -> Markup | None`` on ``theme_sections`` (one theme's page) or ``section() ->
Markup | None`` on ``themes_index_sections`` (the list of themes) when it is imported; the page
shows every non-empty one, in registration order. Sections ask ``current_user`` themselves what
the viewer may see."""

from leerkring.sections import Sections

theme_sections = Sections("theme page")

themes_index_sections = Sections("themes page")
