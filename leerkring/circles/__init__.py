from flask import Blueprint

bp = Blueprint("circles", __name__, url_prefix="/circles")

from leerkring.circles import coordination, views  # noqa: E402, F401  (routes register on bp)
from leerkring.circles import reminders  # noqa: E402, F401  (reminder kinds, digest section)
