from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from leerkring.db import utcnow
from leerkring.meetings.recurrence import Frequency, Pattern, to_utc

#: Empty option rows on a new poll, and how many "add more" adds.
EMPTY_ROWS = 5


class OptionRow(Form):
    day = DateField(_l("Date"), validators=[Optional()])
    start = TimeField(_l("Start"), validators=[Optional()])
    end = TimeField(_l("End"), validators=[Optional()])

    def is_blank(self) -> bool:
        return self.day.data is None and self.start.data is None and self.end.data is None


class PollForm(FlaskForm):
    title = StringField(
        _l("What is the meeting about?"),
        validators=[DataRequired(_l("Give the poll a title.")), Length(max=160)],
    )
    description = TextAreaField(_l("Explanation"), validators=[Length(max=5000)])
    options = FieldList(FormField(OptionRow), min_entries=EMPTY_ROWS, max_entries=60)
    closes_at = DateTimeLocalField(
        _l("Answers close at"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    hide_answers = BooleanField(_l("Hide the answers from members (they see only their own)"))
    add_rows = SubmitField(_l("Add more dates"))
    submit = SubmitField(_l("Propose these dates"))

    def __init__(self, *args, timezone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone = timezone
        #: (starts_at, ends_at) in UTC, filled by ``validate``.
        self.chosen_times: list[tuple[datetime, datetime]] = []

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        now = utcnow()
        for entry in self.options:
            row = entry.form
            if row.is_blank():
                continue
            times = self._row_times(row, now)
            if times is None:
                valid = False
            else:
                self.chosen_times.append(times)
        if not self.chosen_times and valid:
            self.options[0].form.day.errors.append(_l("Propose at least one date."))
            valid = False
        if self.closes_at.data is not None:
            closes = to_utc(self.closes_at.data, self.timezone)
            if closes is None or closes <= now:
                self.closes_at.errors.append(_l("Choose a moment in the future."))
                valid = False
            else:
                self.closes_utc = closes
        else:
            self.closes_utc = None
        return valid

    def _row_times(self, row, now):
        missing = False
        for field in (row.day, row.start, row.end):
            if field.data is None and not field.errors:
                field.errors.append(_l("Fill in the date, start and end."))
                missing = True
        if missing or row.day.errors or row.start.errors or row.end.errors:
            return None
        if row.end.data <= row.start.data:
            row.end.errors.append(_l("The end must be after the start."))
            return None
        starts = to_utc(datetime.combine(row.day.data, row.start.data), self.timezone)
        ends = to_utc(datetime.combine(row.day.data, row.end.data), self.timezone)
        if starts is None or ends is None:
            row.start.errors.append(_l("This time does not exist here (the clocks change)."))
            return None
        if starts <= now:
            row.day.errors.append(_l("This moment has passed."))
            return None
        return starts, ends


#: How a poll's chosen date may repeat: "" once, weeks between meetings, or "monthly".
REPEAT_CHOICES = [
    SelectChoice("", _l("Once")),
    SelectChoice("1", _l("Every week")),
    SelectChoice("2", _l("Every two weeks")),
    SelectChoice("4", _l("Every four weeks")),
    SelectChoice("monthly", _l("Every month, on the same weekday")),
]


class ClosePollForm(FlaskForm):
    option = SelectField(_l("The date that becomes the meeting"), coerce=int)
    repeat = SelectField(_l("Repeat"), choices=REPEAT_CHOICES, default="")
    count = IntegerField(
        _l("Number of meetings"),
        default=6,
        validators=[Optional(), NumberRange(min=2, max=52, message=_l("Choose 2 to 52 meetings."))],
    )
    submit = SubmitField(_l("Close the poll and schedule the meeting"))

    def pattern(self, first_day) -> Pattern | None:
        """The series the chosen date starts, or None for a single meeting."""
        if not self.repeat.data:
            return None
        count = self.count.data or 6
        if self.repeat.data == "monthly":
            nth = (first_day.day - 1) // 7 + 1
            return Pattern(Frequency.MONTHLY, 1, first_day.weekday(),
                           nth=-1 if nth > 4 else nth, count=count)
        return Pattern(Frequency.WEEKLY, int(self.repeat.data), first_day.weekday(), count=count)
