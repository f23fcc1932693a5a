from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# Routes register on bp; the digest registers its kind in the registry.
from leerkring.notifications import digest, settings_views, views  # noqa: E402, F401
