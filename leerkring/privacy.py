"""The privacy guard (DESIGN.md section 8): what in a free text could identify a person.

``scan(text)`` returns the findings in order of position, each with its ``kind`` and character
offsets. A ``bsn`` (citizen service number, passing the 11-proef) may never be stored; the other
kinds are shown to the writer, who confirms the text is pseudonymised before it is saved. The
guard works on the text alone, in memory: it logs nothing and sends nothing anywhere.
"""

import re
from dataclasses import dataclass

BSN = "bsn"
IBAN = "iban"
PHONE = "phone"
EMAIL = "email"
POSTCODE = "postcode"
BIRTHDATE = "birthdate"
NAME = "name"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end


# Numbers: a run of digits joined by single spaces, dots or dashes, never touching another digit.
_NUMBER = re.compile(r"(?<![\w€$])(?<![\d][ .\-])(?<!€ )\d(?:[ .\-]?\d)*(?![ .\-]?\d)(?!\w)")
#: 03-04-1987, 3.4.1987, 1987-04-03: shaped like a date, so not a BSN.
_DATE_SHAPE = re.compile(r"\d{1,2}([-./ ])\d{1,2}\1\d{4}|\d{4}([-./])\d{1,2}\2\d{1,2}")


def is_bsn(digits: str) -> bool:
    """The 11-proef on eight or nine digits (eight: a leading zero dropped)."""
    if not digits.isdigit() or len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(weight * int(digit) for weight, digit in zip(weights, digits, strict=True))
    return total % 11 == 0 and int(digits) != 0


def _bsns(text: str):
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if is_bsn(digits) and not _DATE_SHAPE.fullmatch(match.group()):
            yield Finding(BSN, match.start(), match.end())


_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")


def is_iban(value: str) -> bool:
    """ISO 13616's mod-97 check (any country)."""
    compact = value.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _ibans(text: str):
    for match in _IBAN.finditer(text):
        value = match.group()
        # A trailing word may have been taken along ("NL91ABNA0417164300 staat"): shorten.
        while value and not is_iban(value):
            if " " not in value:
                value = ""
                break
            value = value.rsplit(" ", 1)[0]
        if value:
            yield Finding(IBAN, match.start(), match.start() + len(value))


_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+31|0031)[ \-]?(?:\(0\)[ \-]?)?[1-9]|0[1-9])"
    r"(?:[ \-.]?\d){8}"
    r"(?![ \-.]?\d)"
)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")

_POSTCODE = r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}"
_HOUSE_NUMBER = r"\d{1,5}(?:-?[a-zA-Z]{1,2}\b)?"
_ADDRESS = re.compile(
    rf"\b{_POSTCODE},? +(?:(?i:nr\.?|huisnummer) *)?{_HOUSE_NUMBER}"
    rf"|\b{_HOUSE_NUMBER},? +{_POSTCODE}\b"
)

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
    "|january|february|march|may|june|july|august|october"
)
_DATE = (
    rf"\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}} (?i:{_MONTHS})\.? \d{{4}}"
)
_BIRTHDATE = re.compile(
    r"(?i:geboren|geb\.|geboortedatum|born|date of birth|d\.o\.b\.)"
    rf"(?:\s*:)?(?:\s+(?i:op|on))?\s*(?P<date>{_DATE})(?!\d)"
)

_NAME = re.compile(
    r"(?<!\w)(?i:dhr|mevr|mw|mr|meneer|mevrouw|de heer)\.?\s+"
    r"(?:[A-Z]\.\s*)*"
    r"(?:(?i:van|de|der|den|het|ter|ten|te|in 't|op de)\s+)*"
    r"[A-ZÀ-ÖØ-Þ][\w'\-]+"
)


def _matches(pattern: re.Pattern, kind: str, text: str, group: int | str = 0):
    for match in pattern.finditer(text):
        yield Finding(kind, match.start(group), match.end(group))


#: When two findings overlap, the earlier kind here wins (a BSN inside an IBAN is the IBAN).
_PRIORITY = (EMAIL, IBAN, PHONE, BIRTHDATE, POSTCODE, BSN, NAME)


def scan(text: str) -> list[Finding]:
    """Everything in ``text`` that could identify a person, in order of position."""
    candidates = [
        *_matches(_EMAIL, EMAIL, text),
        *_ibans(text),
        *_matches(_PHONE, PHONE, text),
        *_matches(_BIRTHDATE, BIRTHDATE, text, "date"),
        *_matches(_ADDRESS, POSTCODE, text),
        *_bsns(text),
        *_matches(_NAME, NAME, text),
    ]
    kept: list[Finding] = []
    for finding in sorted(candidates, key=lambda f: _PRIORITY.index(f.kind)):
        if not any(finding.overlaps(other) for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end))


def bsns(findings: list[Finding]) -> list[Finding]:
    """The findings that forbid storing the text."""
    return [finding for finding in findings if finding.kind == BSN]
