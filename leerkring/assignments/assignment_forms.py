"""Forms for setting an assignment and granting extensions. Dates and times are wall-clock times in
Europe/Amsterdam, stored as UTC instants."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

from leerkring.assignments.models import SubmissionKind
from leerkring.forms import NO_SUCH_TIME, LocalDateField, LocalTimeField, WholeNumberField
from leerkring.meetings import recurrence

ZONE = "Europe/Amsterdam"

KIND_LABELS = {
    SubmissionKind.TEXT: _l("A text"),
    SubmissionKind.REFLECTION: _l("A reflection"),
    SubmissionKind.CASE: _l("A case brought to a meeting"),
    SubmissionKind.ATTENDANCE: _l("Attendance of meetings"),
}

#: The values of ``notes.models.ReflectionTemplate``.
TEMPLATE_LABELS = {"gibbs": _l("Gibbs"), "alact": _l("ALACT (Korthagen)"), "free": _l("Free")}

NEEDS_CIRCLE = (SubmissionKind.CASE, SubmissionKind.ATTENDANCE)


def instant(day, clock):
    """The UTC instant of a local date and time, or None if that time does not exist."""
    return recurrence.to_utc(datetime.combine(day, clock), ZONE)


class AssignmentForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the assignment a title.")),
            Length(max=160, message=_l("Use at most 160 characters.")),
        ],
    )
    instructions = TextAreaField(
        _l("Instructions"),
        validators=[Optional(), Length(max=20000, message=_l("Use at most 20000 characters."))],
    )
    kind = SelectField(
        _l("What students hand in"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=SubmissionKind.TEXT.value,
    )
    reflection_template = SelectField(
        _l("Reflection template"),
        choices=[SelectChoice("", _l("Choose a template"))]
        + [SelectChoice(value, label) for value, label in TEMPLATE_LABELS.items()],
        default="",
    )
    meetings_required = WholeNumberField(
        _l("Number of meetings to attend"),
        validators=[Optional(), NumberRange(min=1, max=100,
                                            message=_l("Choose a number from 1 to 100."))],
    )
    circle_id = SelectField(_l("Circle"), coerce=str, choices=[], validate_choice=False)
    meeting_id = SelectField(_l("Meeting"), coerce=str, choices=[], validate_choice=False)
    opens_on = LocalDateField(_l("Open date"), validators=[DataRequired(_l("Choose a date."))])
    opens_time = LocalTimeField(_l("Open time"), validators=[DataRequired(_l("Choose a time."))])
    due_on = LocalDateField(_l("Due date"), validators=[DataRequired(_l("Choose a date."))])
    due_time = LocalTimeField(_l("Due time"), validators=[DataRequired(_l("Choose a time."))])
    cutoff_on = LocalDateField(_l("Cut-off date"), validators=[Optional()])
    cutoff_time = LocalTimeField(_l("Cut-off time"), validators=[Optional()])
    peers_can_read = BooleanField(_l("Students in this cohort can read each other's submissions"))

    def __init__(self, *args, circles=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.circles = {str(circle.id): circle for circle in circles}
        self.meetings = {str(meeting.id): meeting for meeting in meetings}
        self.circle_id.choices = [SelectChoice("", _l("No circle"))] + [
            SelectChoice(key, circle.name) for key, circle in self.circles.items()
        ]
        self.meeting_id.choices = [SelectChoice("", _l("No meeting"))] + [
            SelectChoice(key, meeting.title) for key, meeting in self.meetings.items()
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        checks = (self.check_kind(), self.check_circle(), self.check_dates())
        return valid and all(checks)

    def fail(self, field, message) -> bool:
        field.errors = [*field.errors, message]
        return False

    def check_kind(self) -> bool:
        kind = self.kind.data
        if kind == SubmissionKind.REFLECTION and not self.reflection_template.data:
            return self.fail(self.reflection_template, _l("Choose the template to follow."))
        if kind == SubmissionKind.ATTENDANCE and not self.meetings_required.data \
                and not self.meetings_required.errors:
            return self.fail(self.meetings_required, _l("Say how many meetings to attend."))
        return True

    def check_circle(self) -> bool:
        circle_key, meeting_key = self.circle_id.data or "", self.meeting_id.data or ""
        if circle_key and circle_key not in self.circles:
            return self.fail(self.circle_id, _l("Choose one of the cohort's circles."))
        if meeting_key:
            meeting = self.meetings.get(meeting_key)
            if meeting is None:
                return self.fail(self.meeting_id, _l("Choose one of the listed meetings."))
            if circle_key and str(meeting.circle_id) != circle_key:
                return self.fail(self.meeting_id, _l("Choose a meeting of the chosen circle."))
        elif self.kind.data in NEEDS_CIRCLE and not circle_key:
            return self.fail(self.circle_id, _l("Choose the circle where this takes place."))
        return True

    def moment(self, day_field, time_field):
        if day_field.data is None or time_field.data is None or day_field.errors \
                or time_field.errors:
            return None
        found = instant(day_field.data, time_field.data)
        if found is None:
            self.fail(time_field, NO_SUCH_TIME)
        return found

    def check_dates(self) -> bool:
        opens = self.moment(self.opens_on, self.opens_time)
        due = self.moment(self.due_on, self.due_time)
        valid = not (self.opens_time.errors or self.due_time.errors)
        if opens and due and due <= opens:
            valid = self.fail(self.due_on, _l("The due date must be after the open date."))
        if bool(self.cutoff_on.data) != bool(self.cutoff_time.data):
            missing = self.cutoff_time if self.cutoff_on.data else self.cutoff_on
            if not missing.errors:
                return self.fail(missing, _l("Give both a date and a time for the cut-off, or "
                                             "neither."))
            return False
        cutoff = self.moment(self.cutoff_on, self.cutoff_time)
        if self.cutoff_time.errors:
            return False
        if cutoff and due and cutoff <= due:
            valid = self.fail(self.cutoff_on, _l("The cut-off must be after the due date."))
        return valid

    def values(self) -> dict:
        """The assignment's columns from the form (after validation)."""
        kind = SubmissionKind(self.kind.data)
        meeting = self.meetings.get(self.meeting_id.data or "")
        circle = self.circles.get(self.circle_id.data or "")
        circle_id = circle.id if circle else (meeting.circle_id if meeting else None)
        has_cutoff = self.cutoff_on.data and self.cutoff_time.data
        return {
            "title": self.title.data.strip(),
            "instructions": self.instructions.data or "",
            "kind": kind,
            "reflection_template": (self.reflection_template.data
                                    if kind == SubmissionKind.REFLECTION else None),
            "meetings_required": (self.meetings_required.data
                                  if kind == SubmissionKind.ATTENDANCE else None),
            "circle_id": circle_id,
            "meeting_id": meeting.id if meeting else None,
            "opens_at": instant(self.opens_on.data, self.opens_time.data),
            "due_at": instant(self.due_on.data, self.due_time.data),
            "cutoff_at": instant(self.cutoff_on.data, self.cutoff_time.data) if has_cutoff
            else None,
            "peers_can_read": bool(self.peers_can_read.data),
            "timezone": ZONE,
        }


def assignment_data(assignment) -> dict:
    """The form's data for editing ``assignment``."""
    def local(value):
        return recurrence.to_local(value, assignment.timezone) if value else None

    opens, due, cutoff = local(assignment.opens_at), local(assignment.due_at), \
        local(assignment.cutoff_at)
    return {
        "title": assignment.title,
        "instructions": assignment.instructions,
        "kind": assignment.kind.value,
        "reflection_template": assignment.reflection_template or "",
        "meetings_required": assignment.meetings_required,
        "circle_id": str(assignment.circle_id or ""),
        "meeting_id": str(assignment.meeting_id or ""),
        "opens_on": opens.date(), "opens_time": opens.time(),
        "due_on": due.date(), "due_time": due.time(),
        "cutoff_on": cutoff.date() if cutoff else None,
        "cutoff_time": cutoff.time() if cutoff else None,
        "peers_can_read": assignment.peers_can_read,
    }


class ExtensionForm(FlaskForm):
    """A student's own due date and cut-off."""

    student_id = SelectField(_l("Student"), coerce=str, choices=[], validate_choice=False)
    due_on = LocalDateField(_l("New due date"), validators=[DataRequired(_l("Choose a date."))])
    due_time = LocalTimeField(_l("New due time"), validators=[DataRequired(_l("Choose a time."))])
    cutoff_on = LocalDateField(_l("New cut-off date"), validators=[Optional()])
    cutoff_time = LocalTimeField(_l("New cut-off time"), validators=[Optional()])

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.students = {str(student.id): student for student in students}
        self.student_id.choices = [SelectChoice("", _l("Choose a student"))] + [
            SelectChoice(key, student.name) for key, student in self.students.items()
        ]

    fail = AssignmentForm.fail
    moment = AssignmentForm.moment

    def validate_student_id(self, field):
        if field.data not in self.students:
            raise StopValidation(_l("Choose a student of this cohort."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        due = self.moment(self.due_on, self.due_time)
        if bool(self.cutoff_on.data) != bool(self.cutoff_time.data):
            missing = self.cutoff_time if self.cutoff_on.data else self.cutoff_on
            if not missing.errors:
                self.fail(missing, _l("Give both a date and a time for the cut-off, or neither."))
            return False
        cutoff = self.moment(self.cutoff_on, self.cutoff_time)
        if cutoff and due and cutoff <= due:
            valid = self.fail(self.cutoff_on, _l("The cut-off must be after the due date."))
        return valid and not (self.due_time.errors or self.cutoff_time.errors)

    def values(self) -> dict:
        has_cutoff = self.cutoff_on.data and self.cutoff_time.data
        return {
            "student": self.students[self.student_id.data],
            "due_at": instant(self.due_on.data, self.due_time.data),
            "cutoff_at": instant(self.cutoff_on.data, self.cutoff_time.data) if has_cutoff
            else None,
        }


class ConfirmForm(FlaskForm):
    """A button that needs the CSRF token and nothing else."""
