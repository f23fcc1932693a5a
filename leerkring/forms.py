"""Form fields shared by every area."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, TimeField
from wtforms.validators import StopValidation


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
