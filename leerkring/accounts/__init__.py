from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

from leerkring.accounts import views  # noqa: E402, F401  (routes register on bp)
