"""User text: Markdown rendered and sanitised, for agendas, minutes and descriptions."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}


def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML: raw HTML is not rendered, links get rel="noopener noreferrer"."""
    html = _markdown.render(text or "")
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def init_app(app) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
