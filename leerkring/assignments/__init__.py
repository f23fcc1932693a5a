"""Fieldwork assignments (praktijkopdrachten): lecturers set assignments for a cohort of students
who do fieldwork in the Werkplaatsen' circles; students hand in, lecturers give feedback."""

from flask import Blueprint

bp = Blueprint("assignments", __name__)

# Routes register on bp; reminders registers its kinds and digest section, data_rights its parts.
from leerkring.assignments import (  # noqa: E402, F401
    assignments,
    cohorts,
    data_rights,
    grid,
    reminders,
    submissions,
)
