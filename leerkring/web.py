"""Rendering helpers shared by every area (STYLE.md, htmx section)."""

from flask import make_response, redirect, render_template, request
from flask_htmx import make_response as htmx_response

from leerkring.extensions import htmx


def wants_partial() -> bool:
    """True for an htmx request that targets a fragment (not a boosted page or history restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, partial: str | None = None, status: int = 200, **context):
    """Render the whole page, or only ``partial`` when htmx asks for a fragment."""
    template = partial if partial and wants_partial() else page
    return make_response(render_template(template, **context), status)


def redirect_to(url: str):
    """Redirect after a successful POST: 303 for browsers, ``HX-Location`` for htmx fragments.

    htmx follows ``HX-Location`` with its own request into the body; it is marked boosted so
    that ``render`` answers with the whole page even where the page has a partial."""
    if wants_partial():
        return htmx_response(location={"path": url, "headers": {"HX-Boosted": "true"}})
    return redirect(url, code=303)


def add_vary_header(response):
    """``after_request``: a page and its fragment share a URL, so caches must tell them apart."""
    response.vary.add("HX-Request")
    return response


def safe_next(default: str) -> str:
    """The ``next`` parameter when it is a path on this site, else ``default``."""
    target = request.values.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
