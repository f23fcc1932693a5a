"""Fieldwork assignments (praktijkopdrachten): lecturers set assignments for a cohort of students
who do fieldwork in the Werkplaatsen' circles; students hand in, lecturers give feedback."""

from flask import Blueprint

bp = Blueprint("assignments", __name__)

# Routes register on bp; each module holds one part of the area.
from leerkring.assignments import (  # noqa: E402, F401
    assignments,
    cohorts,
    grid,
    reminders,
    submissions,
)
