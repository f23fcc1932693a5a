from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField

from leerkring.visits.models import Audience

#: How each audience is named on the page.
AUDIENCE_NAMES = {
    Audience.PROFESSIONALS: _l("Professionals"),
    Audience.LECTURERS: _l("Lecturers"),
    Audience.POLICYMAKERS: _l("Policymakers"),
    Audience.STUDENTS: _l("Students"),
}

#: How many months ahead the month filter offers.
MONTHS_AHEAD = 12


def next_months(today: date, count: int = MONTHS_AHEAD) -> list[date]:
    """The first day of this month and of the ``count - 1`` months after it."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return firsts


class VisitFilterForm(FlaskForm):
    """The visit list's filters, read from the query string."""

    class Meta:
        csrf = False

    theme = SelectField(_l("Theme"), validate_choice=False)
    werkplaats = SelectField(_l("Werkplaats"), validate_choice=False)
    month = SelectField(_l("Month"), validate_choice=False)
    audience = SelectField(_l("Who it is for"), validate_choice=False)
    places = BooleanField(_l("Only visits with places left"))

    def __init__(self, *args, werkplaatsen=(), themes=(), today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = [SelectChoice("", _l("All themes"))] + [
            SelectChoice(t.slug, t.name) for t in themes
        ]
        self.werkplaats.choices = [SelectChoice("", _l("All Werkplaatsen"))] + [
            SelectChoice(w.slug, w.name) for w in werkplaatsen
        ]
        self.month.choices = [SelectChoice("", _l("Any month"))] + [
            SelectChoice(f"{first.year:04d}-{first.month:02d}", format_date(first, "LLLL y"))
            for first in next_months(today)
        ]
        self.audience.choices = [SelectChoice("", _l("Everyone"))] + [
            SelectChoice(audience.value, name) for audience, name in AUDIENCE_NAMES.items()
        ]

    def chosen(self, field) -> str:
        """The field's value when it is one of its choices, else "" (no filter)."""
        value = field.data or ""
        return value if value in {choice.value for choice in field.choices} else ""

    def chosen_month(self) -> date | None:
        value = self.chosen(self.month)
        return date.fromisoformat(f"{value}-01") if value else None
