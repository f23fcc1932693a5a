"""Account forms. Passwords need a minimum length (PASSWORD_MIN_LENGTH) and nothing else."""

from functools import cache
from zoneinfo import available_timezones

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from leerkring.accounts.models import FieldRole
from leerkring.extensions import db
from leerkring.werkplaatsen.models import Werkplaats, WerkplaatsKind

FIELD_ROLE_LABELS = {
    FieldRole.PROFESSIONAL: _l("Professional"),
    FieldRole.LECTURER: _l("Lecturer"),
    FieldRole.RESEARCHER: _l("Researcher"),
    FieldRole.POLICYMAKER: _l("Policymaker"),
    FieldRole.STUDENT: _l("Student"),
    FieldRole.EXPERIENCE_EXPERT: _l("Experience expert"),
    FieldRole.OTHER: _l("Other"),
}

LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def long_enough(form, field) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(_("Use at least %(count)s characters.", count=minimum))


@cache
def timezone_choices() -> list[SelectChoice]:
    """IANA zones people live in (Continent/City), plus UTC."""
    regions = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
               "Indian", "Pacific")
    zones = sorted(z for z in available_timezones() if z.split("/")[0] in regions)
    return [SelectChoice(zone, zone.replace("_", " ")) for zone in [*zones, "UTC"]]


def werkplaats_choices() -> list[SelectChoice]:
    """Every Werkplaats by name, after "national / none" (the empty value)."""
    rows = db.session.execute(
        db.select(Werkplaats.id, Werkplaats.name)
        .where(Werkplaats.kind == WerkplaatsKind.WERKPLAATS)
        .order_by(Werkplaats.name)
    )
    return [
        SelectChoice("", _("National / no Werkplaats")),
        *(SelectChoice(str(id_), name) for id_, name in rows),
    ]


def field_role_field() -> RadioField:
    return RadioField(
        _l("Your role in the field"),
        choices=[SelectChoice(role.value, label) for role, label in FIELD_ROLE_LABELS.items()],
        validators=[InputRequired(_l("Choose your role in the field."))],
    )


def home_werkplaats_field() -> SelectField:
    return SelectField(_l("Home Werkplaats"), choices=[], default="")


def name_field() -> StringField:
    return StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=120)],
    )


def organisation_field() -> StringField:
    return StringField(_l("Organisation"), filters=[_strip], validators=[Length(max=160)])


def new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[InputRequired(_l("Choose a password.")), long_enough, Length(max=1000)],
    )


def email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address such as name@example.org.")),
            Length(max=254),
        ],
    )


class RegisterForm(FlaskForm):
    name = name_field()
    email = email_field()
    password = new_password_field(_l("Password"))
    field_role = field_role_field()
    home_werkplaats = home_werkplaats_field()
    organisation = organisation_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_werkplaats.choices = werkplaats_choices()


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"), filters=[_strip],
        validators=[InputRequired(_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Stay logged in on this device"))


class EmailForm(FlaskForm):
    """Ask for a new confirmation link, or for a password reset link."""

    email = email_field()


class NewPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
    new_password = new_password_field(_l("New password"))


class ProfileForm(FlaskForm):
    name = name_field()
    organisation = organisation_field()
    field_role = field_role_field()
    home_werkplaats = home_werkplaats_field()
    locale = RadioField(_l("Language"), choices=[])
    timezone = SelectField(_l("Time zone"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_werkplaats.choices = werkplaats_choices()
        self.locale.choices = [*LANGUAGE_CHOICES, SelectChoice("", _("Follow my browser"))]
        self.timezone.choices = timezone_choices()


class LanguageForm(FlaskForm):
    locale = SelectField(choices=LANGUAGE_CHOICES)


class DeleteAccountForm(FlaskForm):
    """Deleting the account asks for the password again and an explicit "yes"."""

    password = PasswordField(
        _l("Your password"), validators=[InputRequired(_l("Enter your password."))]
    )
    confirm = BooleanField(
        _l("I understand that my account is deleted for good, as described above."),
        validators=[DataRequired(_l("Tick this box if you want to delete your account."))],
    )
