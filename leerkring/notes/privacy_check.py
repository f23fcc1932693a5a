"""The live privacy check: a guarded text field posts its form here as the writer types (htmx,
debounced), and gets back what the guard found in that field, highlighted. The text goes only to
this server, is scanned in memory and is neither stored nor logged."""

import re

from flask import abort, request

from leerkring.notes import bp
from leerkring.notes.guard import excerpts
from leerkring.privacy import scan
from leerkring.web import render

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_\-]{0,39}")


@bp.post("/privacy/check")
def privacy_check():
    field = request.form.get("field", "")
    if not _FIELD_NAME.fullmatch(field):
        abort(400)
    text = request.form.get(field, "")
    return render(
        "notes/_findings.html", "notes/_findings.html",
        field_id=field, excerpts=excerpts(text, scan(text)),
    )
