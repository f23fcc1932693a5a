"""The library list's search box and filters, read from the query string."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectChoice, SelectField

from leerkring.library.item_forms import KIND_LABELS, O_LABELS

#: The longest search text taken into account.
MAX_TEXT = 200


class LibraryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search the library"))
    kind = SelectField(_l("Kind"), validate_choice=False)
    o = SelectField(_l("Contributes to"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    werkplaats = SelectField(_l("Werkplaats"), validate_choice=False)
    year = SelectField(_l("Year"), validate_choice=False)

    def __init__(self, *args, werkplaatsen=(), themes=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice("", _l("All kinds"))] + [
            SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()
        ]
        self.o.choices = [SelectChoice("", _l("All four O's"))] + [
            SelectChoice(o.value, label) for o, label in O_LABELS.items()
        ]
        self.theme.choices = [SelectChoice("", _l("All themes"))] + [
            SelectChoice(t.slug, t.name) for t in themes
        ]
        self.werkplaats.choices = [SelectChoice("", _l("All Werkplaatsen"))] + [
            SelectChoice(w.slug, w.name) for w in werkplaatsen
        ]
        self.year.choices = [SelectChoice("", _l("Any year"))] + [
            SelectChoice(str(year), str(year)) for year in years
        ]

    def chosen(self, field) -> str:
        """The field's value when it is one of its choices, else "" (no filter)."""
        value = field.data or ""
        return value if value in {choice.value for choice in field.choices} else ""

    def text(self) -> str:
        return " ".join((self.q.data or "").split())[:MAX_TEXT]

    def filters(self) -> dict[str, str]:
        """The chosen filters and search text, for the query and the pager's links."""
        chosen = {
            "q": self.text(),
            **{
                name: self.chosen(getattr(self, name))
                for name in ("kind", "o", "theme", "werkplaats", "year")
            },
        }
        return {name: value for name, value in chosen.items() if value}
