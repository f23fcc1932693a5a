"""Forms for reflections: one form per template (its parts are the fields), every part passing
the privacy guard; and the filters of "My reflections"."""

from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from leerkring.forms import LocalDateField
from leerkring.notes.guard import GuardedForm
from leerkring.notes.models import ReflectionTemplate, Sharing
from leerkring.notes.reflection_templates import PROMPTS, TEMPLATES, Template

SHARING_LABELS = {
    Sharing.PRIVATE: _l("Only me"),
    Sharing.MENTOR: _l("Me and my coordinator"),
    Sharing.CIRCLE: _l("The whole circle"),
}

SHARING_HINTS = {
    Sharing.PRIVATE: _l("Nobody else can read it."),
    Sharing.MENTOR: _l("The coordinators of the circle can read it."),
    Sharing.CIRCLE: _l("Everyone in the circle can read it."),
}

PART_MAX = 10000


class ReflectionForm(GuardedForm):
    """Title, sharing and circle; ``reflection_form(template)`` adds the template's parts.

    ``circles`` are the circles the writer may choose (id → circle); ``fixed_circle`` is the
    circle of the meeting or case it is about (then there is no choice); ``shareable`` holds the
    ids of the circles the writer may share with."""

    template: Template

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give your reflection a short title.")),
            Length(max=160, message=_l("Use at most 160 characters.")),
        ],
    )
    sharing = RadioField(
        _l("Who can read it"),
        choices=[SelectChoice(value.value, label) for value, label in SHARING_LABELS.items()],
        default=Sharing.PRIVATE.value,
    )
    circle = SelectField(_l("Circle"), choices=[], validate_choice=False)

    @property
    def guarded(self) -> tuple[str, ...]:
        # The title shows in lists and page titles, so it is guarded like the parts.
        return ("title", *self.part_names)

    @property
    def part_names(self) -> tuple[str, ...]:
        return tuple(part.key for part in self.template.parts)

    def __init__(self, *args, circles=None, fixed_circle=None, shareable=frozenset(),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.circles = {str(circle.id): circle for circle in circles or ()}
        self.fixed_circle = fixed_circle
        self.shareable = shareable
        self.circle.choices = [SelectChoice("", _l("No circle"))] + [
            SelectChoice(key, circle.name) for key, circle in self.circles.items()
        ]

    def validate_circle(self, field):
        if self.fixed_circle is None and field.data and field.data not in self.circles:
            raise ValidationError(_l("Choose one of your circles."))

    def validate_sharing(self, field):
        if field.data not in {value.value for value in Sharing}:
            raise ValidationError(_l("Choose who can read it."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not any((self[name].data or "").strip() for name in self.part_names):
            first = self[self.part_names[0]]
            if not first.errors:
                first.errors = [str(_l("Write at least one part of the reflection."))]
            valid = False
        return self.check_sharing() and valid

    def check_sharing(self) -> bool:
        """Sharing needs a circle the writer is in (the error goes where the fix is)."""
        if self.sharing.errors or self.circle.errors or self.sharing.data == Sharing.PRIVATE:
            return True
        circle = self.chosen_circle()
        if circle is None:
            self.circle.errors = [str(_l(
                "Choose the circle to share it with, or keep it for yourself."))]
            return False
        if circle.id not in self.shareable:
            self.sharing.errors = [str(_l(
                "You can share only with a circle you are a member of and that is not "
                "archived. Keep it for yourself instead."))]
            return False
        return True

    def chosen_circle(self):
        if self.fixed_circle is not None:
            return self.fixed_circle
        return self.circles.get(self.circle.data or "")

    def parts(self) -> dict[str, str]:
        return {name: (self[name].data or "").strip() for name in self.part_names}

    def reflection_fields(self) -> dict:
        return {
            "title": " ".join(self.title.data.split()),
            "parts": self.parts(),
            "sharing": Sharing(self.sharing.data),
            "circle": self.chosen_circle(),
        }


class FreeReflectionForm(ReflectionForm):
    #: The prompt shown when the form opened, by key (kept through a failed submit).
    prompt = HiddenField()

    def chosen_prompt(self, default: str) -> str:
        return self.prompt.data if self.prompt.data in PROMPTS else default


@cache
def reflection_form(key: ReflectionTemplate) -> type[ReflectionForm]:
    """The form class for one template: its parts as guarded text fields."""
    template = TEMPLATES[key]
    base = FreeReflectionForm if key == ReflectionTemplate.FREE else ReflectionForm
    # A template of one part needs that part; of several, any one will do.
    needed = (DataRequired(_l("Write your answer.")) if len(template.parts) == 1
              else Optional())
    fields = {
        part.key: TextAreaField(
            part.label,
            validators=[needed, Length(max=PART_MAX, message=_l(
                "Use at most %(max)d characters.", max=PART_MAX))],
        )
        for part in template.parts
    }
    return type(f"{key.value.capitalize()}ReflectionForm", (base,), {"template": template,
                                                                      **fields})


class JournalFilterForm(FlaskForm):
    """The filters of "My reflections", read from the query string."""

    class Meta:
        csrf = False

    circle = SelectField(_l("Circle"), validate_choice=False)
    template = SelectField(_l("Template"), validate_choice=False)
    since = LocalDateField(_l("From"), validators=[Optional()])
    until = LocalDateField(_l("To"), validators=[Optional()])

    #: The circle filter's value for reflections that belong to no circle.
    NO_CIRCLE = "none"

    def __init__(self, *args, circles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.circle.choices = [
            SelectChoice("", _l("All circles")),
            *(SelectChoice(str(circle.id), circle.name) for circle in circles),
            SelectChoice(self.NO_CIRCLE, _l("No circle")),
        ]
        self.template.choices = [SelectChoice("", _l("All templates"))] + [
            SelectChoice(key.value, template.name) for key, template in TEMPLATES.items()
        ]

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def chosen(self, field) -> str:
        """The field's value when it is one of its choices, else "" (no filter)."""
        value = field.data or ""
        return value if value in {choice.value for choice in field.choices} else ""

    def filters(self) -> dict:
        """The valid filters (a date that does not parse, or an end before the start, is shown
        as an error and left out)."""
        self.validate()
        return {
            "circle": self.chosen(self.circle),
            "template": self.chosen(self.template),
            "since": None if self.since.errors else self.since.data,
            "until": None if self.until.errors else self.until.data,
        }
