from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# Routes register on bp; the digest registers its kind in the registry, data_rights its parts
# of a user's data.
from leerkring.notifications import (  # noqa: E402, F401
    data_rights,
    digest,
    settings_views,
    views,
)
