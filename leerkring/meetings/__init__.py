"""Meetings (bijeenkomsten): scheduling, recurrence, answers, attendance, date polls, calendars."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)

# Routes register on bp; each module holds one part of the area.
from leerkring.meetings import (  # noqa: E402, F401
    answers,
    attendance,
    calendar,
    polls,
    views,
)
from leerkring.meetings import digest, poll_reminders  # noqa: E402, F401  (reminder kinds)
