from calendar import monthrange
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

from leerkring.circles.forms import choices
from leerkring.forms import NO_SUCH_TIME, LocalDateField, TimeAndPlace, WholeNumberField
from leerkring.meetings import recurrence
from leerkring.meetings.recurrence import Frequency, Pattern
from leerkring.meetings.services import Scope

REPEATS = {
    "none": _l("Does not repeat"),
    "weekly": _l("Every week or every few weeks, on the weekday of the date"),
    "monthly": _l(
        "Monthly, on the same weekday of the month as the date (such as the 2nd Tuesday)"
    ),
    "monthly_last": _l("Monthly, on the last such weekday of the month (such as the last Friday)"),
}

ENDS = {
    "until": _l("Until a date"),
    "count": _l("A number of times"),
}

SCOPES = {
    Scope.THIS: _l("This meeting only"),
    Scope.FOLLOWING: _l("This meeting and the following ones"),
    Scope.ALL: _l("All upcoming meetings of the series"),
}


def optional_id(value) -> int | None:
    """A select's value as a user id: None for "nobody", 0 (nobody's id) for anything odd."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def nth_weekday(day: date) -> int:
    """1–5: which of its weekday in the month ``day`` is."""
    return (day.day - 1) // 7 + 1


def is_last_weekday(day: date) -> bool:
    return day.day + 7 > monthrange(day.year, day.month)[1]


class MeetingForm(TimeAndPlace, FlaskForm):
    """A meeting's own fields; the date and times are local in the circle's zone."""

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the meeting a title.")),
            Length(max=160, message=_l("Use at most 160 characters.")),
        ],
    )
    place_room = StringField(
        _l("Room"),
        validators=[Optional(), Length(max=120, message=_l("Use at most 120 characters."))],
    )
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[Optional(), Length(max=10000, message=_l("Use at most 10000 characters."))],
    )
    preparation = TextAreaField(
        _l("Preparation"),
        validators=[Optional(), Length(max=5000, message=_l("Use at most 5000 characters."))],
    )
    case_presenter_id = SelectField(
        _l("Case presenter"), coerce=optional_id, choices=[], validate_choice=False
    )

    def __init__(self, *args, timezone: str = "Europe/Amsterdam", members=(), **kwargs):
        """``members``: the circle's memberships (with their users), who may bring a case."""
        super().__init__(*args, **kwargs)
        self.timezone = timezone
        self.case_presenter_id.choices = [
            ("", _l("Nobody")),
            *((membership.user_id, membership.user.name) for membership in members),
        ]

    def validate_case_presenter_id(self, field):
        members = {value for value, _label in field.choices if value != ""}
        if field.data is not None and field.data not in members:
            raise StopValidation(_l("Choose a member of this circle."))

    def validate_start_time(self, field):
        if self.day.data and field.data and self.local_start() and self.starts_at() is None:
            raise StopValidation(NO_SUCH_TIME)

    def validate_end_time(self, field):
        super().validate_end_time(field)
        if self.day.data and self.start_time.data and field.data and self.ends_at() is None:
            raise StopValidation(NO_SUCH_TIME)

    def local_start(self) -> datetime | None:
        if not (self.day.data and self.start_time.data):
            return None
        return datetime.combine(self.day.data, self.start_time.data)

    def starts_at(self):
        return recurrence.to_utc(self.local_start(), self.timezone)

    def ends_at(self):
        return recurrence.to_utc(datetime.combine(self.day.data, self.end_time.data), self.timezone)

    def detail_fields(self) -> dict:
        return {
            "title": self.text_of("title"),
            "place_address": self.text_of("place_address"),
            "place_room": self.text_of("place_room"),
            "online_url": self.text_of("online_url"),
            "agenda": self.agenda.data or "",
            "preparation": self.preparation.data or "",
            "max_places": self.max_places.data,
            "case_presenter_id": self.case_presenter_id.data,
        }


class NewMeetingForm(MeetingForm):
    repeat = SelectField(
        _l("Repeat"), choices=choices(REPEATS), default="none",
        validators=[DataRequired()],
    )
    interval = WholeNumberField(
        _l("Every how many weeks or months"),
        default=1,
        validators=[
            Optional(),
            NumberRange(min=1, max=12, message=_l("Choose a number from 1 to 12.")),
        ],
    )
    ends = RadioField(_l("Ends"), choices=choices(ENDS), default="count")
    until = LocalDateField(_l("Last date"), validators=[Optional()])
    count = WholeNumberField(
        _l("Number of meetings"),
        default=6,
        validators=[
            Optional(),
            NumberRange(
                min=2, max=recurrence.MAX_OCCURRENCES,
                message=_l("Choose a number from 2 to %(max)s.", max=recurrence.MAX_OCCURRENCES),
            ),
        ],
    )

    @property
    def repeats(self) -> bool:
        return self.repeat.data != "none"

    def validate_repeat(self, field):
        if field.data == "monthly" and self.day.data and nth_weekday(self.day.data) == 5:
            raise StopValidation(_l(
                "This date is the fifth such weekday of its month, which most months lack: "
                "choose “the last such weekday” instead."
            ))
        if field.data == "monthly_last" and self.day.data and not is_last_weekday(self.day.data):
            raise StopValidation(_l(
                "This date is not the last such weekday of its month: choose another date or "
                "“the same weekday of the month”."
            ))

    def validate_until(self, field):
        if not self.repeats or self.ends.data != "until":
            return
        if field.data is None:
            raise StopValidation(_l("Choose the date of the last meeting."))
        if self.day.data and field.data <= self.day.data:
            raise StopValidation(_l("The last date must be after the first meeting's date."))

    def validate_count(self, field):
        if self.repeats and self.ends.data == "count" and field.data is None:
            raise StopValidation(_l("Enter how many meetings there will be."))

    def pattern(self) -> Pattern:
        day = self.day.data
        weekly = self.repeat.data == "weekly"
        nth = None
        if not weekly:
            nth = -1 if self.repeat.data == "monthly_last" else nth_weekday(day)
        until = self.until.data if self.ends.data == "until" else None
        return Pattern(
            frequency=Frequency.WEEKLY if weekly else Frequency.MONTHLY,
            interval=self.interval.data or 1,
            weekday=day.weekday(),
            nth=nth,
            until=until,
            count=None if until else self.count.data,
        )


class EditMeetingForm(MeetingForm):
    scope = RadioField(_l("Apply to"), choices=choices(SCOPES), default=Scope.THIS.value)


class CancelMeetingForm(FlaskForm):
    scope = RadioField(_l("Cancel"), choices=choices(SCOPES), default=Scope.THIS.value)
