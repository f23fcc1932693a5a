"""The submission form, one per kind of work (a text through the privacy guard, a choice of the
student's own reflection or case), with "Save draft" and "Hand in"; and the feedback form, through
the guard too."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from leerkring.assignments.models import Outcome, SubmissionKind
from leerkring.notes.guard import GuardedForm

BODY_MAX = 20000
FEEDBACK_MAX = 10000

OUTCOME_LABELS = {
    Outcome.SUFFICIENT: _l("Sufficient"),
    Outcome.INSUFFICIENT: _l("Insufficient"),
    Outcome.RESUBMIT: _l("Resubmit: a new attempt"),
}


class Buttons:
    save_draft = SubmitField(_l("Save draft"))
    hand_in = SubmitField(_l("Hand in"))

    @property
    def handing_in(self) -> bool:
        return bool(self.hand_in.data)


class TextSubmissionForm(Buttons, GuardedForm):
    guarded = ("body",)

    body = TextAreaField(
        _l("Your work"),
        validators=[
            DataRequired(_l("Write your work before you save it.")),
            Length(max=BODY_MAX, message=_l("Use at most %(max)d characters.", max=BODY_MAX)),
        ],
    )

    def work(self) -> dict:
        return {"body": self.body.data.strip()}


class ChoiceSubmissionForm(Buttons, FlaskForm):
    """A choice among ``options`` (id → reflection or case), stored in ``column``."""

    column = ""
    empty_message = _l("Choose one.")

    choice = SelectField(validate_choice=False)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {str(option.id): option for option in options}
        self.choice.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(key, option.title) for key, option in self.options.items()
        ]

    def validate_choice(self, field):
        if field.data not in self.options:
            raise ValidationError(self.empty_message)

    def work(self) -> dict:
        return {self.column: self.options[self.choice.data].id}


class ReflectionSubmissionForm(ChoiceSubmissionForm):
    column = "reflection_id"
    empty_message = _l("Choose one of your reflections.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice.label.text = _l("Your reflection")


class CaseSubmissionForm(ChoiceSubmissionForm):
    column = "case_id"
    empty_message = _l("Choose one of your cases.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice.label.text = _l("Your case")


FORMS = {
    SubmissionKind.TEXT: TextSubmissionForm,
    SubmissionKind.REFLECTION: ReflectionSubmissionForm,
    SubmissionKind.CASE: CaseSubmissionForm,
}


class FeedbackForm(GuardedForm):
    """Feedback is about the student's practice, so it passes the privacy guard as their work
    does."""

    guarded = ("feedback",)

    feedback = TextAreaField(
        _l("Feedback"),
        validators=[
            DataRequired(_l("Write your feedback.")),
            Length(max=FEEDBACK_MAX,
                   message=_l("Use at most %(max)d characters.", max=FEEDBACK_MAX)),
        ],
    )
    outcome = RadioField(
        _l("Outcome"),
        choices=[SelectChoice(value.value, label) for value, label in OUTCOME_LABELS.items()],
        validate_choice=False,
    )
    submit = SubmitField(_l("Give feedback"))

    def validate_outcome(self, field):
        if field.data not in {value.value for value in Outcome}:
            raise ValidationError(_l("Choose an outcome."))
