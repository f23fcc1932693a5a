"""Rendering helpers shared by every area (STYLE.md, htmx section)."""

import csv
import io

from flask import current_app, make_response, redirect, render_template, request
from flask_htmx import make_response as htmx_response

from leerkring.extensions import db, htmx


def wants_partial() -> bool:
    """True for an htmx request that targets a fragment (not a boosted page or history restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, partial: str | None = None, status: int = 200, **context):
    """Render the whole page, or only ``partial`` when htmx asks for a fragment."""
    template = partial if partial and wants_partial() else page
    return make_response(render_template(template, **context), status)


def paginate(select, page: int | None = None):
    """One page of ``select`` (the ``page`` query argument unless given), ``PER_PAGE`` long; a
    page past the end is empty, not an error."""
    if page is None:
        page = request.args.get("page", 1, type=int)
    return db.paginate(
        select, page=page, per_page=current_app.config["PER_PAGE"], error_out=False
    )


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


def safe_cell(value):
    """A spreadsheet cell that is not run as a formula: text starting with = + - @ or a control
    character gets a leading apostrophe; numbers stay as they are."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_download(filename: str, header, rows):
    """A CSV attachment; every cell passes ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow([safe_cell(cell) for cell in row])
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
