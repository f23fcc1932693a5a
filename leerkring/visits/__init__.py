"""Kitchen visits (keukenbezoeken): look in each other's kitchen across Werkplaatsen, and bring
the lessons home."""

from flask import Blueprint

bp = Blueprint("visits", __name__)

# Routes register on bp; each module holds one part of the area.
from leerkring.visits import (  # noqa: E402, F401
    data_rights,
    ics,
    listing,
    offers,
    overview,
    reminders,
    reports,
    signups,
)
