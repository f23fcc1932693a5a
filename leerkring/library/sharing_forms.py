"""Forms for the lemniscate: sharing a lesson or a visit report in the library (every text passes
the privacy guard again, and the author consents on every share), and bringing an item into a
circle's coming meeting."""

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from leerkring.forms import CheckboxesField
from leerkring.notes.guard import GuardedForm


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


class ShareForm(GuardedForm):
    """A draft library item from a lesson or a visit report. ``themes`` and ``werkplaatsen`` are
    the choices; the consent box is the guard's confirmation, asked on every share."""

    always_confirm = True
    guarded = ("title", "summary", "body", "other_authors")

    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give it a title.")), at_most(200)]
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(_l("Write a short summary for the library's lists.")),
                    at_most(1000)],
    )
    body = TextAreaField(
        _l("Text"), validators=[DataRequired(_l("Write the text to share.")), at_most(20000)]
    )
    other_authors = StringField(
        _l("Other authors"), validators=[Optional(), at_most(500)]
    )
    themes = CheckboxesField(_l("Themes"), coerce=int, choices=[], validate_choice=False)
    werkplaats = SelectField(_l("Werkplaats"), choices=[], validate_choice=False)
    pseudonymised = BooleanField(
        _l("I agree that this is shared in the national library; I checked it is pseudonymised")
    )

    def __init__(self, *args, themes=(), werkplaatsen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_choices = {theme.id: theme for theme in themes}
        self.themes.choices = [SelectChoice(theme.id, theme.name) for theme in themes]
        self.werkplaats_choices = {str(place.id): place for place in werkplaatsen}
        self.werkplaats.choices = [SelectChoice("", _l("National (no Werkplaats)"))] + [
            SelectChoice(key, place.name) for key, place in self.werkplaats_choices.items()
        ]

    def validate_themes(self, field):
        if any(theme_id not in self.theme_choices for theme_id in field.data or ()):
            raise ValidationError(_l("Choose among the themes shown."))

    def validate_werkplaats(self, field):
        if field.data and field.data not in self.werkplaats_choices:
            raise ValidationError(_l("Choose a Werkplaats from the list."))

    def confirmation_error(self) -> str:
        if not self.kinds:
            return str(_l("Tick the box to agree that this is shared in the library, once you "
                          "have checked that no one can be recognised from it."))
        return super().confirmation_error()

    def item_fields(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "summary": self.summary.data.strip(),
            "body": self.body.data.strip(),
            "other_authors": (self.other_authors.data or "").strip(),
            "themes": [self.theme_choices[theme_id] for theme_id in self.themes.data or ()],
            "werkplaats": self.werkplaats_choices.get(self.werkplaats.data or ""),
        }


def meeting_label(meeting) -> str:
    return f"{meeting.title} · {format_datetime(meeting.starts_at, 'EEE d MMM, HH:mm')}"


class BringForm(FlaskForm):
    """One choice among the coming meetings of the circles the user coordinates, grouped by
    circle (``coming`` maps each circle to its meetings)."""

    meeting = SelectField(_l("Meeting"), choices=[], validate_choice=False)

    def __init__(self, *args, coming=None, **kwargs):
        super().__init__(*args, **kwargs)
        coming = coming or {}
        self.meetings = {
            str(meeting.id): meeting for meetings in coming.values() for meeting in meetings
        }
        self.meeting.choices = [SelectChoice("", _l("Choose a meeting"))] + [
            SelectChoice(str(meeting.id), meeting_label(meeting), optgroup=circle.name)
            for circle, meetings in coming.items()
            for meeting in meetings
        ]

    def validate_meeting(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the meeting whose agenda it goes on."))
        if field.data not in self.meetings:
            raise ValidationError(_l("Choose a coming meeting of a circle you coordinate."))

    def chosen_meeting(self):
        return self.meetings[self.meeting.data]
