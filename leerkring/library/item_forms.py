"""Forms for library items: writing and editing one, sending it back to draft with a reason, and
the buttons that only need the CSRF token (submit, publish, delete)."""

from datetime import date
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from leerkring.forms import CheckboxesField, WholeNumberField
from leerkring.library import LICENCES
from leerkring.library.models import FourO, ItemKind
from leerkring.library.storage import UploadRefused, check

KIND_LABELS = {
    ItemKind.PUBLICATION: _l("Publication"),
    ItemKind.METHOD: _l("Method"),
    ItemKind.TOOL: _l("Tool"),
    ItemKind.REPORT: _l("Report"),
    ItemKind.VIDEO: _l("Video"),
    ItemKind.VISIT_REPORT: _l("Kitchen visit report"),
    ItemKind.LESSON: _l("Lesson from a circle"),
}

O_LABELS = {
    FourO.ONDERZOEK: _l("Research"),
    FourO.ONTWIKKELING: _l("Development"),
    FourO.ONDERWIJS: _l("Education"),
    FourO.ONDERSTEUNING: _l("Support"),
}

LICENCE_LABELS = {"All rights reserved": _l("All rights reserved")}

FIRST_YEAR = 1950


def licence_label(licence: str) -> str:
    return str(LICENCE_LABELS.get(licence, licence))


def at_most(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


class ItemForm(FlaskForm):
    """``themes``, ``werkplaatsen`` and ``people`` are the choices (rows); ``has_document`` says
    whether the item already has a document (which ``remove_document`` takes away)."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the item a title.")),
                                                 at_most(200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(_l("Write a short summary: it is what people see in lists and "
                                    "when the item is shared.")), at_most(1000)],
    )
    body = TextAreaField(_l("Text"), validators=[Optional(), at_most(50000)])
    link_url = StringField(_l("Link"), validators=[Optional(), at_most(500)])
    document = FileField(_l("Document (PDF, Word or PowerPoint)"))
    remove_document = BooleanField(_l("Remove the current document"))
    kind = SelectField(_l("Kind"), choices=[], validators=[DataRequired(_l("Choose a kind."))])
    os = CheckboxesField(_l("Contributes to the four O's"), choices=[], validate_choice=False)
    themes = CheckboxesField(_l("Themes"), coerce=int, choices=[], validate_choice=False)
    werkplaatsen = CheckboxesField(_l("Werkplaatsen"), coerce=int, choices=[],
                                   validate_choice=False)
    authors = CheckboxesField(_l("Authors with an account"), coerce=int, choices=[],
                              validate_choice=False)
    other_authors = StringField(_l("Other authors"), validators=[Optional(), at_most(500)])
    year = WholeNumberField(_l("Year"), validators=[Optional()])
    licence = SelectField(_l("Licence"), choices=[],
                          validators=[DataRequired(_l("Choose a licence."))])
    is_public = BooleanField(_l("Public: visible without signing in, once published"))

    def __init__(self, *args, themes=(), werkplaatsen=(), people=(), has_document=False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.has_document = has_document
        self.kind.choices = [SelectChoice("", _l("Choose a kind"))] + [
            SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()
        ]
        self.os.choices = [SelectChoice(o.value, label) for o, label in O_LABELS.items()]
        self.theme_choices = {theme.id: theme for theme in themes}
        self.themes.choices = [SelectChoice(t.id, t.name) for t in themes]
        self.werkplaats_choices = {w.id: w for w in werkplaatsen}
        self.werkplaatsen.choices = [SelectChoice(w.id, w.name) for w in werkplaatsen]
        self.people = {person.id: person for person in people}
        self.authors.choices = [SelectChoice(p.id, p.name) for p in people]
        self.licence.choices = [SelectChoice("", _l("Choose a licence"))] + [
            SelectChoice(licence, licence_label(licence)) for licence in LICENCES
        ]
        #: The checked upload, once ``validate`` has passed it.
        self.checked_document = None

    def validate_kind(self, field):
        if field.data not in {kind.value for kind in ItemKind}:
            raise ValidationError(_l("Choose a kind."))

    def validate_os(self, field):
        if any(o not in {x.value for x in FourO} for o in field.data or ()):
            raise ValidationError(_l("Choose among the four O's."))

    def validate_themes(self, field):
        if any(i not in self.theme_choices for i in field.data or ()):
            raise ValidationError(_l("Choose among the themes shown."))

    def validate_werkplaatsen(self, field):
        if any(i not in self.werkplaats_choices for i in field.data or ()):
            raise ValidationError(_l("Choose among the Werkplaatsen shown."))

    def validate_authors(self, field):
        if any(i not in self.people for i in field.data or ()):
            raise ValidationError(_l("Choose among the people shown."))

    def validate_licence(self, field):
        if field.data not in LICENCES:
            raise ValidationError(_l("Choose a licence."))

    def validate_year(self, field):
        last = date.today().year + 1
        if field.data is not None and not FIRST_YEAR <= field.data <= last:
            raise ValidationError(_l("Give a year from %(first)d to %(last)d.",
                                     first=FIRST_YEAR, last=last))

    def validate_link_url(self, field):
        value = (field.data or "").strip()
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValidationError(_l("Enter a web address starting with https:// or "
                                         "http://."))

    def chosen_upload(self):
        upload = self.document.data
        return upload if upload and getattr(upload, "filename", "") else None

    def validate_document(self, field):
        upload = self.chosen_upload()
        if upload is None:
            return
        try:
            self.checked_document = check(upload)
        except UploadRefused as refused:
            raise ValidationError(refused.message) from refused

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        keeps_document = self.checked_document is not None or (
            self.has_document and not self.remove_document.data
        )
        has_content = (self.body.data or "").strip() or (self.link_url.data or "").strip() \
            or keeps_document or self.document.errors
        if not has_content:
            self.body.errors = [*self.body.errors,
                                _l("Give a text, a link or a document (or more than one).")]
            valid = False
        if not valid and self.chosen_upload() is not None and not self.document.errors:
            self.document.errors = [*self.document.errors, _l(
                "The file was not saved because of the notes elsewhere in the form: choose it "
                "again.")]
        return valid

    def fields(self) -> dict:
        """The item's own columns and its choices, as the services take them."""
        return {
            "title": self.title.data.strip(),
            "summary": self.summary.data.strip(),
            "body": (self.body.data or "").strip(),
            "link_url": (self.link_url.data or "").strip(),
            "kind": ItemKind(self.kind.data),
            "os": [FourO(o) for o in self.os.data or ()],
            "themes": [self.theme_choices[i] for i in self.themes.data or ()],
            "werkplaatsen": [self.werkplaats_choices[i] for i in self.werkplaatsen.data or ()],
            "authors": [self.people[i] for i in self.authors.data or ()],
            "other_authors": (self.other_authors.data or "").strip(),
            "year": self.year.data,
            "licence": self.licence.data,
            "is_public": bool(self.is_public.data),
        }


def item_data(item) -> dict:
    """The form's initial data for an existing item."""
    return {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "link_url": item.link_url,
        "kind": item.kind.value,
        "os": [row.o.value for row in item.os],
        "themes": [theme.id for theme in item.themes],
        "werkplaatsen": [w.id for w in item.werkplaatsen],
        "authors": [user.id for user in item.authors],
        "other_authors": item.other_authors,
        "year": item.year,
        "licence": item.licence,
        "is_public": item.is_public,
    }


class SendBackForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason, for the makers"),
        validators=[DataRequired(_l("Say why, so the makers know what to change.")),
                    at_most(2000)],
    )


class ConfirmItemForm(FlaskForm):
    """A button that needs the CSRF token and nothing else."""


def o_label(o) -> str:
    return str(O_LABELS[FourO(o)])


def kind_label(kind) -> str:
    return str(KIND_LABELS[ItemKind(kind)])

