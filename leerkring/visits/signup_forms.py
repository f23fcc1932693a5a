"""Forms for signing up for a visit and for writing to its host."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from leerkring.notes.guard import GuardedForm


class SignupForm(GuardedForm):
    guarded = ("learning_goal",)

    learning_goal = TextAreaField(
        _l("What I want to learn"),
        validators=[Optional(), Length(max=2000, message=_l("Use at most 2000 characters."))],
    )


class ContactForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write your message.")),
            Length(max=5000, message=_l("Use at most 5000 characters.")),
        ],
    )
