from flask import Blueprint

bp = Blueprint("circles", __name__, url_prefix="/circles")

# Routes register on bp; reminders registers its kinds and digest section.
from leerkring.circles import coordination, reminders, views  # noqa: E402, F401
