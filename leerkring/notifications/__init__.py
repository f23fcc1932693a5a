from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from leerkring.notifications import views  # noqa: E402, F401  (routes register on bp)
from leerkring.notifications import digest  # noqa: E402, F401  (the weekly digest kind)
