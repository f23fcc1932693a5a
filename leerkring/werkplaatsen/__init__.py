from flask import Blueprint

bp = Blueprint("werkplaatsen", __name__)

from leerkring.werkplaatsen import views  # noqa: E402, F401  (routes register on bp)
