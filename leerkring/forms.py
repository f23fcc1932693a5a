"""Form fields shared by every area."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectMultipleField, StringField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

NO_SUCH_TIME = _l(
    "This time does not exist on that day: the clocks go forward an hour. Choose another time."
)


class ParsedInTheUsersLanguage:
    """Mixin for fields that parse text: empty is None, and a value that does not parse gives
    one message in the user's language (``parse_error``) instead of WTForms' English ones."""

    parse_error = _l("This value is not valid.")

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.parse_error)) from error

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation


class WholeNumberField(ParsedInTheUsersLanguage, IntegerField):
    parse_error = _l("Enter a whole number, such as 12.")


class LocalDateField(ParsedInTheUsersLanguage, DateField):
    parse_error = _l("Enter a date, such as 2026-03-29.")


class LocalTimeField(ParsedInTheUsersLanguage, TimeField):
    parse_error = _l("Enter a time, such as 19:30.")


class CheckboxesField(SelectMultipleField):
    """A choice of several, as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TimeAndPlace:
    """Mixin for the forms of what happens on a day, at an address or online, with limited
    places: meetings and kitchen visits. Times are wall-clock times; each form turns them into
    instants in its own zone."""

    day = LocalDateField(_l("Date"), validators=[DataRequired(_l("Choose a date."))])
    start_time = LocalTimeField(
        _l("Start time"), validators=[DataRequired(_l("Choose a start time."))]
    )
    end_time = LocalTimeField(_l("End time"), validators=[DataRequired(_l("Choose an end time."))])
    place_address = StringField(
        _l("Address"),
        validators=[Optional(), Length(max=255, message=_l("Use at most 255 characters."))],
    )
    online_url = StringField(
        _l("Online link"),
        validators=[Optional(), Length(max=500, message=_l("Use at most 500 characters."))],
    )
    max_places = WholeNumberField(
        _l("Maximum number of places"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("Choose a number from 1 to 1000.")),
        ],
    )

    def text_of(self, name: str) -> str:
        return (self[name].data or "").strip()

    def validate_online_url(self, field):
        value = (field.data or "").strip()
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise StopValidation(_l("Enter a web address starting with https:// or http://."))

    def validate_end_time(self, field):
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise StopValidation(_l("The end time must be after the start time."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.text_of("place_address") and not self.text_of("online_url"):
            self.place_address.errors = [*self.place_address.errors,
                                         _l("Give an address, an online link, or both.")]
            valid = False
        return valid
