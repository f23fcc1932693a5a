"""Uploaded documents of library items: PDF, DOCX and PPTX, checked by their bytes (never by the
name the user gave), stored on disk under a random key, and served only as a download.

- A PDF starts with ``%PDF-``; a DOCX or PPTX is a ZIP file with ``[Content_Types].xml`` and
  ``word/`` resp. ``ppt/`` parts.
- Files are stored under ``LIBRARY_UPLOAD_DIR`` as ``<key>``, a random hex name; the user's file
  name is kept only as the download name.
- The text of a PDF is extracted with pypdf for search; a PDF pypdf cannot read is stored all the
  same, without text.
- Requests larger than the upload limit plus a margin for the other fields are refused by Flask
  (``MAX_CONTENT_LENGTH``, set here when the blueprint is registered) with the 413 page; a file
  between the limit and that margin is refused by the form.
"""

import io
import logging
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from leerkring.library import bp

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", PPTX: ".pptx"}

#: Room for the form's other fields on top of the largest upload.
FORM_MARGIN = 1024 * 1024

#: A PDF's text is cut here: enough for search, not a second copy of a book.
MAX_TEXT = 200_000


@bp.record_once
def limit_request_size(state) -> None:
    """Refuse request bodies larger than an upload can be, unless the app set its own limit."""
    config = state.app.config
    if config.get("MAX_CONTENT_LENGTH") is None:
        config["MAX_CONTENT_LENGTH"] = max_upload_bytes(config) + FORM_MARGIN


@bp.app_errorhandler(413)
def too_large(_error):
    """A request larger than ``MAX_CONTENT_LENGTH``: in practice, a document that is too large."""
    from flask_babel import gettext as _

    from leerkring.errors import _page

    return _page(413, _("The file is too large"), _(
        "Leerkring accepts documents of at most %(size)s MB. Nothing was saved: go back and "
        "choose a smaller file.", size=f'{float(current_app.config["LIBRARY_MAX_UPLOAD_MB"]):g}'))


def max_upload_bytes(config=None) -> int:
    config = config if config is not None else current_app.config
    return int(float(config["LIBRARY_MAX_UPLOAD_MB"]) * 1024 * 1024)


class UploadRefused(ValueError):
    """The file cannot be stored; ``message`` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Checked:
    """An upload that passed the checks."""

    data: bytes
    content_type: str
    name: str


def content_type_of(data: bytes) -> str | None:
    """PDF, DOCX or PPTX by the file's bytes; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("ppt/") for name in names):
        return PPTX
    return None


def safe_name(filename: str, content_type: str) -> str:
    """The download name: the user's name without folders or control characters, with the
    extension of what the file really is."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*').strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return (stem[:200] or "document") + EXTENSIONS[content_type]


def check(upload) -> Checked:
    """Read and check an uploaded file (a werkzeug ``FileStorage``)."""
    limit = max_upload_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_l(
            "This file is larger than %(size)s MB. Choose a smaller file.",
            size=f'{float(current_app.config["LIBRARY_MAX_UPLOAD_MB"]):g}',
        ))
    if not data:
        raise UploadRefused(_l("This file is empty."))
    content_type = content_type_of(data)
    if content_type is None:
        raise UploadRefused(_l(
            "Upload a PDF, Word (.docx) or PowerPoint (.pptx) file. This file is none of these, "
            "whatever its name says."
        ))
    return Checked(data=data, content_type=content_type,
                   name=safe_name(upload.filename, content_type))


def directory() -> Path:
    path = Path(current_app.config["LIBRARY_UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(key: str) -> Path:
    if not key or not all(ch in "0123456789abcdef" for ch in key):
        raise ValueError("not a document key")
    return directory() / key


def store(data: bytes) -> str:
    """Write the file under a new random key and return the key."""
    key = secrets.token_hex(16)
    path_of(key).write_bytes(data)
    return key


def remove(key: str | None) -> None:
    if key:
        path_of(key).unlink(missing_ok=True)


def extract_text(data: bytes, content_type: str) -> str:
    """The text of a PDF for search; "" for other types and for PDFs pypdf cannot read."""
    if content_type != PDF:
        return ""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        parts = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= MAX_TEXT:
                break
    except Exception:  # pypdf raises many kinds of errors on broken files
        log.info("PDF text could not be extracted")
        return ""
    return "\n".join(parts).replace("\x00", "")[:MAX_TEXT].strip()
