"""The national library: the Werkplaatsen' products (publications, methods, tools, reports, videos,
visit reports, circles' lessons), found by everyone and brought into circles."""

from flask import Blueprint

bp = Blueprint("library", __name__)

# Routes register on bp; each module holds one part of the area.
from leerkring.library import themes  # noqa: E402, F401
