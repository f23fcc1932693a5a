from flask import Blueprint

bp = Blueprint("circles", __name__, url_prefix="/circles")

# Routes register on bp; reminders registers its kinds and digest section, data_rights its
# parts of a user's data.
from leerkring.circles import coordination, data_rights, reminders, views  # noqa: E402, F401
