"""Forms for visit reports: the visitor's report (its three parts pass the privacy guard), the
host's response, putting a report on a meeting's agenda, and deleting it."""

from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from leerkring.forms import CheckboxesField
from leerkring.notes.guard import GuardedForm

PART_MAX = 10000


def part_length():
    return Length(max=PART_MAX, message=_l("Use at most %(max)d characters.", max=PART_MAX))


class ReportForm(GuardedForm):
    """``circles`` are the circles the author may bring the report to (id → circle): their own,
    plus those it is already brought to, so they can take it back."""

    guarded = ("saw", "surprised", "take_home")

    saw = TextAreaField(
        _l("What I saw"),
        validators=[DataRequired(_l("Write what you saw.")), part_length()],
    )
    surprised = TextAreaField(_l("What surprised me"), validators=[Optional(), part_length()])
    take_home = TextAreaField(_l("What I take home"), validators=[Optional(), part_length()])
    circles = CheckboxesField(_l("Bring it to my circles"), coerce=int, choices=[],
                              validate_choice=False)
    offer_to_library = BooleanField(_l("Offer this report to the national library"))
    library_consent = BooleanField(
        _l("I agree that this report may be published in the library under my name")
    )

    def __init__(self, *args, circles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.circle_choices = {circle.id: circle for circle in circles}
        self.circles.choices = [
            SelectChoice(circle.id, circle.name) for circle in self.circle_choices.values()
        ]

    def validate_circles(self, field):
        if any(circle_id not in self.circle_choices for circle_id in field.data or ()):
            raise ValidationError(_l("Choose among your own circles."))

    def validate_library_consent(self, field):
        if self.offer_to_library.data and not field.data:
            raise ValidationError(_l(
                "The library publishes the report under your name: tick this box to agree, or "
                "do not offer it."))

    def chosen_circles(self) -> list:
        return [self.circle_choices[circle_id] for circle_id in self.circles.data or ()]

    def report_fields(self) -> dict:
        return {
            "saw": self.saw.data.strip(),
            "surprised": (self.surprised.data or "").strip(),
            "take_home": (self.take_home.data or "").strip(),
            "offered": bool(self.offer_to_library.data),
        }


class ResponseForm(GuardedForm):
    guarded = ("response",)

    response = TextAreaField(
        _l("Your response"),
        validators=[DataRequired(_l("Write your response.")), part_length()],
    )


class AgendaForm(FlaskForm):
    """One circle's choice of the coming meeting whose agenda the report goes on ("" takes it
    off). The page has one per circle, each with its own prefix."""

    meeting = SelectField(_l("On the agenda of"), choices=[], validate_choice=False)

    def __init__(self, *args, circle, meetings=(), **kwargs):
        super().__init__(*args, prefix=f"agenda-{circle.id}", **kwargs)
        self.circle = circle
        self.meeting.label.text = _l("On the agenda of a meeting of %(circle)s",
                                     circle=circle.name)
        self.meeting_choices = {str(meeting.id): meeting for meeting in meetings}
        self.meeting.choices = [SelectChoice("", _l("No meeting yet"))] + [
            SelectChoice(key, meeting_label(meeting))
            for key, meeting in self.meeting_choices.items()
        ]

    def validate_meeting(self, field):
        if field.data and field.data not in self.meeting_choices:
            raise ValidationError(_l("Choose one of the circle's coming meetings."))

    def chosen_meeting(self):
        return self.meeting_choices.get(self.meeting.data or "")


def meeting_label(meeting) -> str:
    return f"{format_date(meeting.starts_at, 'long')} {format_time(meeting.starts_at, 'short')}" \
        f" · {meeting.title}"


class DeleteReportForm(FlaskForm):
    """The confirmation: a button that needs the CSRF token and nothing else."""
