"""Meetings (bijeenkomsten): scheduling, recurrence, answers, attendance, date polls, calendars."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)

# Routes register on bp; each module holds one part of the area.
from leerkring.meetings import (  # noqa: E402, F401
    answers,
    attendance,
    calendar,
    data_rights,
    digest,
    poll_reminders,
    polls,
    reminders,
    views,
)
