"""The cohort form, and the invitation form: the circles' ``InviteForm`` (one or more addresses)
with the role the invited people get."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from leerkring.assignments.models import CohortRole
from leerkring.circles.forms import InviteForm
from leerkring.forms import CheckboxesField, LocalDateField


class CohortForm(FlaskForm):
    """``circles`` are the circles the lecturer may link (``cohort_services.circle_choices``)."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the cohort a name.")),
            Length(max=160, message=_l("Use at most 160 characters.")),
        ],
    )
    course = StringField(
        _l("Course"),
        validators=[Optional(), Length(max=160, message=_l("Use at most 160 characters."))],
    )
    starts_on = LocalDateField(_l("Start date"), validators=[DataRequired(_l("Choose a date."))])
    ends_on = LocalDateField(_l("End date"), validators=[DataRequired(_l("Choose a date."))])
    circles = CheckboxesField(
        _l("Circles where the students do fieldwork"), coerce=int, choices=[],
        validate_choice=False,
    )
    coordinators_see_submissions = BooleanField(
        _l("Praktijkbegeleiders of these circles may read the submissions of students in their "
           "circle")
    )

    def __init__(self, *args, circles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.circle_choices = {circle.id: circle for circle in circles}
        self.circles.choices = [
            SelectChoice(circle.id, circle.name) for circle in self.circle_choices.values()
        ]

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data <= self.starts_on.data:
            raise ValidationError(_l("The end date comes after the start date."))

    def validate_circles(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one circle."))
        if any(circle_id not in self.circle_choices for circle_id in field.data):
            raise ValidationError(_l("Choose among the circles shown."))

    def cohort_fields(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "course": (self.course.data or "").strip(),
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "coordinators_see_submissions": self.coordinators_see_submissions.data,
        }

    def chosen_circles(self) -> list:
        return [self.circle_choices[circle_id] for circle_id in self.circles.data or ()]


class CohortInviteForm(InviteForm):
    role = RadioField(
        _l("Invite as"),
        choices=[SelectChoice(CohortRole.STUDENT.value, _l("Students")),
                 SelectChoice(CohortRole.LECTURER.value, _l("Lecturers"))],
        default=CohortRole.STUDENT.value,
    )
