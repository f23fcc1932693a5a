"""Forms for case notes: every free text passes the privacy guard, and every save needs the
writer's "I have checked: this is pseudonymised" (cases describe clients)."""

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from leerkring.notes.guard import GuardedForm
from leerkring.notes.methods import METHODS
from leerkring.notes.models import CaseMethod


class CaseForm(GuardedForm):
    """A case's own fields. ``meetings`` are the meetings it may be put on the agenda of."""

    always_confirm = True
    # The title shows in lists, page titles and notices, so it is guarded too.
    guarded = ("title", "question", "situation", "tried")

    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the case a short title.")), Length(max=160)],
    )
    question = TextAreaField(
        _l("Your question for the circle"),
        validators=[DataRequired(_l("Say what you would like the circle to help you with.")),
                    Length(max=2000)],
    )
    situation = TextAreaField(
        _l("The situation"),
        validators=[DataRequired(_l("Describe the situation.")), Length(max=10000)],
    )
    tried = TextAreaField(_l("What you have tried so far"),
                          validators=[Optional(), Length(max=5000)])
    method = RadioField(
        _l("Intervision method"),
        choices=[SelectChoice(method.key.value, method.label) for method in METHODS.values()],
        default=CaseMethod.INCIDENT.value,
        validators=[InputRequired(_l("Choose a method."))],
        validate_choice=False,
    )
    meeting = SelectField(_l("On the agenda of"), choices=[], validate_choice=False)

    save_draft = SubmitField(_l("Save as draft"))
    share = SubmitField(_l("Save and share with the circle"))
    save = SubmitField(_l("Save changes"))

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(meeting.id): meeting for meeting in meetings}
        self.meeting.choices = [SelectChoice("", _l("No meeting"))] + [
            SelectChoice(key, f"{meeting.title} · "
                              f"{format_datetime(meeting.starts_at, 'EEEE d MMMM, HH:mm')}")
            for key, meeting in self.meetings.items()
        ]

    def validate_method(self, field):
        if field.data not in set(CaseMethod):
            raise ValidationError(_l("Choose a method."))

    def validate_meeting(self, field):
        if field.data and field.data not in self.meetings:
            raise ValidationError(_l("Choose one of this circle's coming meetings."))

    def chosen_meeting(self):
        return self.meetings.get(self.meeting.data or "")

    def case_fields(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "question": self.question.data.strip(),
            "situation": self.situation.data.strip(),
            "tried": (self.tried.data or "").strip(),
            "method": CaseMethod(self.method.data),
            "meeting": self.chosen_meeting(),
        }


class TakeawayForm(GuardedForm):
    """The author's "what I take from this", written when closing the case."""

    always_confirm = True
    guarded = ("takeaway",)

    takeaway = TextAreaField(
        _l("What I take from this"),
        validators=[DataRequired(_l("Write what you take from the circle's discussion.")),
                    Length(max=5000)],
    )


class LessonForm(GuardedForm):
    """The circle's "what we learned" on a closed case."""

    always_confirm = True
    guarded = ("lesson",)

    lesson = TextAreaField(
        _l("What we learned"),
        validators=[DataRequired(_l("Write what the circle learned.")), Length(max=5000)],
    )


class DeleteCaseForm(FlaskForm):
    """Only the CSRF token: the page says what deleting means before the author confirms."""
