"""Forms of the theme pages: follow a theme, show yourself on its page, and (for the association's
admins) name the programme's ambassadors and content experts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length

from leerkring.library.models import ThemeRole

#: The roles as the page names them.
ROLE_LABELS = {
    ThemeRole.AMBASSADOR: _l("Ambassador"),
    ThemeRole.CONTENT_EXPERT: _l("Content expert"),
    ThemeRole.MEMBER: _l("Member (no special role)"),
}

ON, OFF = "1", "0"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ToggleForm(FlaskForm):
    """One switch: ``value`` is what the button turns it into."""

    value = HiddenField(validators=[AnyOf([ON, OFF])])

    @property
    def is_on(self) -> bool:
        return self.value.data == ON


class RoleForm(FlaskForm):
    """Its fields are prefixed (``role-email``), as the theme page holds other parts' forms."""

    email = EmailField(
        _l("E-mail address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter an e-mail address.")),
            Email(_l("Enter a valid e-mail address, such as name@example.org.")),
            Length(max=254, message=_l("Enter a valid e-mail address, such as name@example.org.")),
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        default=ThemeRole.AMBASSADOR.value,
        validators=[InputRequired(_l("Choose a role."))],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "role")
        super().__init__(*args, **kwargs)
