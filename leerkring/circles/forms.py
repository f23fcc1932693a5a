import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from leerkring.circles.models import JoinMode, Visibility
from leerkring.forms import WholeNumberField

JOIN_MODES = {
    JoinMode.OPEN: _l("Open: anyone can join at once"),
    JoinMode.ON_REQUEST: _l("On request: a coordinator approves each request"),
    JoinMode.INVITATION: _l("By invitation only"),
}

#: Short forms for lists.
JOIN_MODE_NAMES = {
    JoinMode.OPEN: _l("Open"),
    JoinMode.ON_REQUEST: _l("On request"),
    JoinMode.INVITATION: _l("By invitation"),
}

VISIBILITIES = {
    Visibility.SIGNED_IN: _l("Visible to everyone who is signed in"),
    Visibility.MEMBERS: _l("Members only: others cannot find it"),
}


def optional_id(value):
    """"" → None, "12" → 12."""
    if value in (None, ""):
        return None
    return int(value)


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in labels.items()]


class CircleForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the circle a name.")),
            Length(max=120, message=_l("Use at most 120 characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=5000, message=_l("Use at most 5000 characters."))],
    )
    werkplaats_id = SelectField(
        _l("Werkplaats"),
        coerce=optional_id,
        invalid_value_message=_l("Choose a Werkplaats from the list."),
        invalid_choice_message=_l("Choose a Werkplaats from the list."),
    )
    theme_id = SelectField(
        _l("Theme"),
        coerce=optional_id,
        invalid_value_message=_l("Choose a theme from the list."),
        invalid_choice_message=_l("Choose a theme from the list."),
    )
    join_mode = RadioField(
        _l("Who can join"),
        choices=choices(JOIN_MODES),
        default=JoinMode.OPEN.value,
        invalid_choice_message=_l("Choose how people join."),
    )
    visibility = RadioField(
        _l("Who can find the circle"),
        choices=choices(VISIBILITIES),
        default=Visibility.SIGNED_IN.value,
        invalid_choice_message=_l("Choose who can find the circle."),
    )
    max_members = WholeNumberField(
        _l("Maximum number of members"),
        validators=[
            Optional(),
            NumberRange(min=2, max=1000, message=_l("Choose a number from 2 to 1000.")),
        ],
    )

    def __init__(self, *args, werkplaatsen=(), themes=(), member_count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_count = member_count
        self.werkplaats_id.choices = [SelectChoice("", _l("National (no Werkplaats)"))] + [
            SelectChoice(str(w.id), w.name) for w in werkplaatsen
        ]
        self.theme_id.choices = [SelectChoice("", _l("No theme"))] + [
            SelectChoice(str(t.id), t.name) for t in themes
        ]

    def validate_max_members(self, field):
        if field.data is not None and field.data < self.member_count:
            raise ValidationError(
                _l(
                    "The circle already has %(count)s members; the maximum cannot be lower.",
                    count=self.member_count,
                )
            )

    def circle_fields(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "description": (self.description.data or "").strip(),
            "werkplaats_id": self.werkplaats_id.data,
            "theme_id": self.theme_id.data,
            "join_mode": JoinMode(self.join_mode.data),
            "visibility": Visibility(self.visibility.data),
            "max_members": self.max_members.data,
        }


class FilterForm(FlaskForm):
    """The circle list's filters, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"))
    theme = SelectField(_l("Theme"), validate_choice=False)
    werkplaats = SelectField(_l("Werkplaats"), validate_choice=False)
    room = BooleanField(_l("Only circles with room"))
    mine = BooleanField(_l("Only my circles"))

    def __init__(self, *args, werkplaatsen=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = [SelectChoice("", _l("All themes"))] + [
            SelectChoice(t.slug, t.name) for t in themes
        ]
        self.werkplaats.choices = [
            SelectChoice("", _l("All Werkplaatsen")),
            SelectChoice("national", _l("National circles")),
            *(SelectChoice(w.slug, w.name) for w in werkplaatsen),
        ]

    def chosen(self, field) -> str:
        """The field's value when it is one of its choices, else "" (no filter)."""
        value = field.data or ""
        return value if value in {choice.value for choice in field.choices} else ""

    def text(self) -> str:
        return (self.q.data or "").strip()[:100]

    def is_filtered(self) -> bool:
        return bool(
            self.text()
            or self.chosen(self.theme)
            or self.chosen(self.werkplaats)
            or self.room.data
            or self.mine.data
        )


class JoinRequestForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the coordinators"),
        validators=[Optional(), Length(max=1000, message=_l("Use at most 1000 characters."))],
    )


EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class InviteForm(FlaskForm):
    emails = TextAreaField(
        _l("E-mail addresses"),
        validators=[DataRequired(_l("Enter at least one e-mail address."))],
    )

    #: More than this in one go is a mailing, not an invitation.
    MAX_ADDRESSES = 50

    def addresses(self) -> list[str]:
        return [a for a in re.split(r"[\s,;]+", self.emails.data or "") if a]

    def validate_emails(self, field):
        addresses = self.addresses()
        if not addresses:
            raise ValidationError(_l("Enter at least one e-mail address."))
        if len(addresses) > self.MAX_ADDRESSES:
            raise ValidationError(
                _l("Invite at most %(count)s people at a time.", count=self.MAX_ADDRESSES)
            )
        wrong = [a for a in addresses if not EMAIL_PATTERN.match(a) or len(a) > 254]
        if wrong:
            raise ValidationError(
                _l("These are not e-mail addresses: %(addresses)s", addresses=", ".join(wrong))
            )
