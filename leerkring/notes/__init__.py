"""Case notes (casussen) and reflections, with the privacy guard in front of every save."""

from flask import Blueprint

bp = Blueprint("notes", __name__)

# Routes register on bp; each module holds one part of the area.
from leerkring.notes import (  # noqa: E402, F401
    case_settings,
    cases,
    comments,
    data_rights,
    journal,
    privacy_check,
    reflections,
    retention_reminders,
)
