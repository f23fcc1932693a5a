"""The national library: the Werkplaatsen' products (publications, methods, tools, reports, videos,
visit reports, circles' lessons), found by everyone and brought into circles."""

from flask import Blueprint

bp = Blueprint("library", __name__)

#: The licences an item may carry.
LICENCES = (
    "CC BY 4.0",
    "CC BY-SA 4.0",
    "CC BY-NC 4.0",
    "CC BY-NC-SA 4.0",
    "CC0",
    "All rights reserved",
)

# Routes register on bp; each module holds one part of the area.
from leerkring.library import (  # noqa: E402, F401
    data_rights,
    items,
    listing,
    sharing,
    themes,
)
