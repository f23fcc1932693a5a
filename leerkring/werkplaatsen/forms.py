from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Email, Length


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class DescriptionForm(FlaskForm):
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Write a short description of the Werkplaats.")),
            Length(max=5000, message=_l("Keep the description under %(max)d characters.")),
        ],
    )


class AppointAdminForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the new admin"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter an e-mail address.")),
            Email(_l("Enter a valid e-mail address, such as name@example.org.")),
            Length(max=254, message=_l("Enter a valid e-mail address, such as name@example.org.")),
        ],
    )
