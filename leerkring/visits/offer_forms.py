"""Forms for offering, editing, approving and cancelling kitchen visits. Times are wall-clock
times in Europe/Amsterdam; an offer has one to five dates at the same hours."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from leerkring.forms import NO_SUCH_TIME, CheckboxesField, LocalDateField, TimeAndPlace
from leerkring.meetings import recurrence
from leerkring.notes.guard import GuardedForm
from leerkring.places import now
from leerkring.visits.models import Audience
from leerkring.visits.services import Slot

ZONE = "Europe/Amsterdam"
AUDIENCE_LABELS = {
    Audience.PROFESSIONALS: _l("Professionals"),
    Audience.LECTURERS: _l("Lecturers"),
    Audience.POLICYMAKERS: _l("Policymakers"),
    Audience.STUDENTS: _l("Students"),
}

LANGUAGE_LABELS = {"nl": _l("Dutch"), "en": _l("English")}

class VisitForm(TimeAndPlace, GuardedForm):
    """A visit's own fields; ``NewVisitForm`` adds the other dates."""

    guarded = ("title", "description", "accessibility")

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the visit a title.")),
            Length(max=160, message=_l("Use at most 160 characters.")),
        ],
    )
    description = TextAreaField(
        _l("What you will see, and why it is worth it"),
        validators=[
            DataRequired(_l("Tell visitors what they will see.")),
            Length(max=10000, message=_l("Use at most 10000 characters.")),
        ],
    )
    themes = CheckboxesField(_l("Themes"), coerce=int, choices=[], validate_choice=False)
    host_organisation = StringField(
        _l("Host organisation"),
        validators=[Optional(), Length(max=160, message=_l("Use at most 160 characters."))],
    )
    audiences = CheckboxesField(
        _l("Who it is for"),
        choices=[SelectChoice(a.value, label) for a, label in AUDIENCE_LABELS.items()],
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, label) for code, label in LANGUAGE_LABELS.items()],
        default="nl",
    )
    accessibility = TextAreaField(
        _l("Accessibility"),
        validators=[Optional(), Length(max=2000, message=_l("Use at most 2000 characters."))],
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_objects = {theme.id: theme for theme in themes}
        self.themes.choices = [SelectChoice(theme.id, theme.name) for theme in themes]

    def validate_themes(self, field):
        if any(value not in self.theme_objects for value in field.data or ()):
            raise StopValidation(_l("Choose themes from the list."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_days() and valid

    def date_fields(self):
        return [self.day]

    def check_days(self) -> bool:
        """Every date lies ahead and its times exist in the zone."""
        if not (self.start_time.data and self.end_time.data) or self.end_time.errors:
            return True
        valid = True
        for f in self.date_fields():
            if f.data is None or f.errors:
                continue
            slot = self.slot(f.data)
            if slot is None:
                f.errors = [*f.errors, NO_SUCH_TIME]
                valid = False
            elif slot.starts_at <= now():
                f.errors = [*f.errors, _l("Choose a date and time in the future.")]
                valid = False
        return valid

    def slot(self, day) -> Slot | None:
        start = recurrence.to_utc(datetime.combine(day, self.start_time.data), ZONE)
        end = recurrence.to_utc(datetime.combine(day, self.end_time.data), ZONE)
        return None if start is None or end is None else Slot(start, end)

    def slots(self) -> list[Slot]:
        days = sorted({f.data for f in self.date_fields() if f.data is not None})
        return [self.slot(day) for day in days]

    def detail_fields(self) -> dict:
        return {
            "title": self.text_of("title"),
            "description": self.description.data or "",
            "host_organisation": self.text_of("host_organisation"),
            "place_address": self.text_of("place_address"),
            "online_url": self.text_of("online_url"),
            "max_places": self.max_places.data,
            "language": self.language.data,
            "accessibility": self.accessibility.data or "",
            "timezone": ZONE,
        }

    def chosen_themes(self) -> list:
        return [self.theme_objects[value] for value in self.themes.data or ()]


class NewVisitForm(VisitForm):
    """An offer: the first date and up to four more at the same hours."""

    day_2 = LocalDateField(_l("Another date"), validators=[Optional()])
    day_3 = LocalDateField(_l("Another date"), validators=[Optional()])
    day_4 = LocalDateField(_l("Another date"), validators=[Optional()])
    day_5 = LocalDateField(_l("Another date"), validators=[Optional()])

    def date_fields(self):
        return [self.day, self.day_2, self.day_3, self.day_4, self.day_5]


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional, for the host)"),
        validators=[Optional(), Length(max=2000, message=_l("Use at most 2000 characters."))],
    )


class ApprovalSettingForm(FlaskForm):
    visits_need_approval = BooleanField(_l("Visits offered in this Werkplaats need approval"))


class ConfirmForm(FlaskForm):
    """A button that needs the CSRF token and nothing else."""
