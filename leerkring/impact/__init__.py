"""Impact: what the circles, kitchen visits and the library achieve, in numbers per Werkplaats
and per theme. Numbers only: no case content, no names of people, and small groups of people
shown as "<5"."""

from flask import Blueprint

bp = Blueprint("impact", __name__)

from leerkring.impact import views  # noqa: E402, F401  (routes register on bp)
