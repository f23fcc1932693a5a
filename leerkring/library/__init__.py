"""The national library: the Werkplaatsen' products (publications, methods, tools, reports, videos,
visit reports, circles' lessons), found by everyone and brought into circles."""

from flask import Blueprint

bp = Blueprint("library", __name__)
