"""Parts of a page that other areas add without the page's area importing them: cases and
reflections on the meeting page, kitchen visit reports on the circle page.

Each page that takes sections has one ``Sections`` instance in its own area. Another area
registers ``section(*args) -> Markup | None`` on it when that area is imported; the page renders
every non-empty one, in registration order, with the arguments the page names."""

from collections.abc import Callable

from markupsafe import Markup

Section = Callable[..., Markup | None]


class Sections:
    def __init__(self, page: str):
        #: What the sections are part of, for reading the code ("meeting page").
        self.page = page
        self._sections: list[Section] = []

    def register(self, section: Section) -> Section:
        """Add ``section`` (usable as a decorator)."""
        self._sections.append(section)
        return section

    def render(self, *args) -> list[Markup]:
        return [html for section in self._sections if (html := section(*args))]

    def __repr__(self) -> str:
        return f"<Sections of the {self.page}>"
