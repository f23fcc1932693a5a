"""The privacy guard in forms (DESIGN.md section 8): a BSN is refused with where it is and why;
anything else the guard finds needs the writer's "I have checked: this is pseudonymised", which
is recorded (kinds only, never text). Case notes, comments and reflections use it, and so may any
later form that takes free text about practice."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField

from leerkring.extensions import db
from leerkring.notes.models import PrivacyConfirmation
from leerkring.privacy import BIRTHDATE, BSN, EMAIL, IBAN, NAME, PHONE, POSTCODE, Finding, scan

KIND_LABELS = {
    BSN: _l("citizen service number (BSN)"),
    IBAN: _l("bank account number (IBAN)"),
    PHONE: _l("phone number"),
    EMAIL: _l("e-mail address"),
    POSTCODE: _l("postcode and house number"),
    BIRTHDATE: _l("date of birth"),
    NAME: _l("name after a title"),
}

#: Characters of context shown on each side of a finding.
CONTEXT = 30


@dataclass(frozen=True)
class Excerpt:
    """One finding shown in its context, for highlighting."""

    kind: str
    before: str
    found: str
    after: str
    #: Line and column (from 1) of the finding's start, for "where it is".
    line: int
    column: int

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def is_refused(self) -> bool:
        return self.kind == BSN


def excerpts(text: str, findings: list[Finding]) -> list[Excerpt]:
    result = []
    for finding in findings:
        line = text.count("\n", 0, finding.start) + 1
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        before = text[max(finding.start - CONTEXT, 0):finding.start]
        after = text[finding.end:finding.end + CONTEXT]
        result.append(Excerpt(
            finding.kind,
            ("…" if finding.start > CONTEXT else "") + before,
            text[finding.start:finding.end],
            after + ("…" if finding.end + CONTEXT < len(text) else ""),
            line,
            column,
        ))
    return result


def bsn_error(excerpt: Excerpt) -> str:
    return str(_l(
        "Line %(line)s, position %(column)s: “%(found)s” is a citizen service number (BSN). "
        "The law does not allow a BSN to be stored here; remove it. Nothing has been saved.",
        line=excerpt.line, column=excerpt.column, found=excerpt.found,
    ))


class GuardedForm(FlaskForm):
    """A form whose free-text fields pass the privacy guard when it validates.

    ``guarded`` names the fields to read. After ``validate()``, ``found`` maps each guarded field
    with findings to its excerpts (the template highlights them next to the field)."""

    guarded: tuple[str, ...] = ()
    #: Ask for the confirmation on every save, not only when the guard found something (case
    #: notes describe clients, and no guard finds every name).
    always_confirm = False

    pseudonymised = BooleanField(_l("I have checked: this is pseudonymised"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found: dict[str, list[Excerpt]] = {}

    def scan(self) -> dict[str, list[Excerpt]]:
        found = {}
        for name in self.guarded:
            text = self[name].data or ""
            if items := scan(text):
                found[name] = excerpts(text, items)
        return found

    @property
    def kinds(self) -> list[str]:
        """The kinds the writer confirms, in a fixed order (a BSN is never confirmed)."""
        present = {e.kind for items in self.found.values() for e in items}
        return [kind for kind in KIND_LABELS if kind in present and kind != BSN]

    @property
    def needs_confirmation(self) -> bool:
        return self.always_confirm or bool(self.kinds)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.found = self.scan()
        for name, items in self.found.items():
            refused = [bsn_error(e) for e in items if e.is_refused]
            if refused:
                self[name].errors = [*self[name].errors, *refused]
                valid = False
        if self.needs_confirmation and not self.pseudonymised.data:
            self.pseudonymised.errors = [*self.pseudonymised.errors, self.confirmation_error()]
            valid = False
        return valid

    def confirmation_error(self) -> str:
        if not self.kinds:
            return str(_l("Check that no one can be recognised from this text, then tick the box."))
        labels = ", ".join(str(KIND_LABELS[kind]) for kind in self.kinds)
        return ngettext(
            "The privacy guard found a %(labels)s. Check it, remove or pseudonymise it, and tick "
            "the box.",
            "The privacy guard found: %(labels)s. Check them, remove or pseudonymise them, and "
            "tick the box.",
            len(self.kinds), labels=labels,
        )


def record_confirmation(form: GuardedForm, user, subject_type: str, subject_id: int) -> None:
    """Record the writer's confirmation for a save that needed one (call after flushing the
    subject, so it has its id)."""
    if form.needs_confirmation:
        db.session.add(PrivacyConfirmation(
            user_id=user.id, subject_type=subject_type, subject_id=subject_id,
            kinds=",".join(form.kinds),
        ))
