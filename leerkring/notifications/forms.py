"""Forms for notification choices. The kinds come from the registry, so each form gets one
checkbox per kind (and channel) when it is made."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from leerkring.notifications import preferences
from leerkring.notifications.choices import Choices
from leerkring.notifications.models import Channel, Digest

CHANNEL_LABELS = {Channel.EMAIL: _l("By e-mail"), Channel.INAPP: _l("In Leerkring")}

LEAD_DAYS = {1: _l("The day before"), 2: _l("Two days before"), 3: _l("Three days before")}

DIGEST_LABELS = {
    Digest.WEEKLY: _l("Weekly, on Monday morning"),
    Digest.NEVER: _l("Never"),
}

CHOOSE_AN_OPTION = _l("Choose one of the options.")


def channel_field(kind_name: str, channel: Channel | str) -> str:
    return f"{Channel(channel).value}__{kind_name}"


def kind_field(kind_name: str) -> str:
    return f"on__{kind_name}"


def lead_day_choices() -> list[SelectChoice]:
    days = sorted({*LEAD_DAYS, preferences.meeting_lead_days_default()})
    return [
        SelectChoice(
            str(n),
            LEAD_DAYS.get(n) or ngettext("%(num)s day before", "%(num)s days before", n),
        )
        for n in days
    ]


class PreferencesForm(FlaskForm):
    meeting_lead_days = SelectField(
        _l("Reminders of a meeting come"),
        validate_choice=False,
        validators=[InputRequired(CHOOSE_AN_OPTION)],
    )
    digest = RadioField(
        _l("A summary of your week by e-mail"),
        choices=[SelectChoice(value.value, label) for value, label in DIGEST_LABELS.items()],
        validate_choice=False,
        validators=[
            InputRequired(CHOOSE_AN_OPTION),
            AnyOf([value.value for value in Digest], message=CHOOSE_AN_OPTION),
        ],
    )

    def validate_meeting_lead_days(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(str(CHOOSE_AN_OPTION))

    def chosen(self, kind_names) -> Choices:
        return Choices(
            channels={
                name: {
                    channel: self[channel_field(name, channel)].data for channel in Channel
                }
                for name in kind_names
            },
            meeting_lead_days=int(self.meeting_lead_days.data),
            digest=Digest(self.digest.data),
        )


def preferences_form(kinds, current: Choices) -> PreferencesForm:
    """The form with a checkbox per kind and channel, showing ``current`` until posted."""

    class Form(PreferencesForm):
        pass

    for kind in kinds:
        for channel in Channel:
            setattr(Form, channel_field(kind.name, channel), BooleanField(CHANNEL_LABELS[channel]))
    form = Form(
        data={
            **{
                channel_field(name, channel): is_on
                for name, per_channel in current.channels.items()
                for channel, is_on in per_channel.items()
            },
            "meeting_lead_days": str(current.meeting_lead_days),
            "digest": current.digest.value,
        }
    )
    form.meeting_lead_days.choices = lead_day_choices()
    return form


class CircleKindsForm(FlaskForm):
    """One checkbox per kind: on (checked) or turned off for everyone in the circle."""


def circle_kinds_form(kinds, muted: set[str]) -> CircleKindsForm:
    class Form(CircleKindsForm):
        pass

    for kind in kinds:
        setattr(Form, kind_field(kind.name), BooleanField(kind.label))
    return Form(data={kind_field(kind.name): kind.name not in muted for kind in kinds})
