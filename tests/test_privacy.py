"""The privacy guard: properties for the BSN, a table of Dutch examples and near misses for the
rest."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leerkring.privacy import BSN, scan

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def passes_eleven_test(digits: str) -> bool:
    """The 11-proef as the law describes it (the oracle the guard is tested against)."""
    digits = digits.zfill(9)
    total = sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True))
    return len(digits) == 9 and total % 11 == 0 and int(digits) != 0


@st.composite
def valid_bsns(draw) -> str:
    first = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    check = sum(w * d for w, d in zip(WEIGHTS, first, strict=False)) % 11
    digits = "".join(map(str, first)) + str(check)
    if check == 10 or int(digits) == 0:
        digits = "111222333"
    return digits


GROUPINGS = [(9,), (3, 3, 3), (4, 2, 3), (2, 2, 2, 3), (3, 2, 2, 2)]
SEPARATORS = ["", " ", ".", "-"]
BEFORE = ["", "BSN ", "De cliënt (bsn: ", "Nummer ", "Ze noemde haar burgerservicenummer "]
AFTER = ["", ".", " is bekend.", ") woont alleen.", ", zei ze."]


def written(digits: str, grouping, separator: str) -> str:
    parts, position = [], 0
    for size in grouping:
        parts.append(digits[position:position + size])
        position += size
    return separator.join(parts)


@given(
    valid_bsns(), st.sampled_from(GROUPINGS), st.sampled_from(SEPARATORS),
    st.sampled_from(BEFORE), st.sampled_from(AFTER), st.booleans(),
)
def test_every_valid_bsn_is_caught_where_it_stands(digits, grouping, separator, before, after,
                                                   drop_zero):
    number = written(digits, grouping, separator)
    if drop_zero and digits.startswith("0"):
        number = digits[1:]  # an eight-digit BSN: the leading zero left off
    text = before + number + after
    findings = [f for f in scan(text) if f.kind == BSN]
    assert [(f.start, f.end) for f in findings] == [(len(before), len(before) + len(number))]


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=9),
    st.sampled_from(GROUPINGS[:1] + [(3, 3, 3)]), st.sampled_from(SEPARATORS),
)
def test_no_number_failing_the_eleven_test_is_called_a_bsn(digits, grouping, separator):
    number = written(digits, grouping, separator) if len(digits) == 9 else digits
    findings = [f for f in scan(f"Dossier {number} gesloten.") if f.kind == BSN]
    assert bool(findings) == passes_eleven_test(digits)


@given(st.text(alphabet="0123456789 .-abc€", max_size=40))
def test_whatever_is_called_a_bsn_passes_the_eleven_test(text):
    for finding in scan(text):
        if finding.kind == BSN:
            assert passes_eleven_test(re.sub(r"\D", "", text[finding.start:finding.end]))


def test_zeros_and_longer_numbers_are_not_a_bsn():
    for text in ("000000000", "00000000", "1112223330", "11122233", "0 111222333 0"):
        assert [f for f in scan(text) if f.kind == BSN] == [], text


FOUND = [
    ("iban", "Rekening NL91 ABNA 0417 1643 00 van haar moeder", "NL91 ABNA 0417 1643 00"),
    ("iban", "iban NL91ABNA0417164300.", "NL91ABNA0417164300"),
    ("iban", "Duitse rekening DE89370400440532013000", "DE89370400440532013000"),
    ("iban", "Belgisch: BE68539007547034", "BE68539007547034"),
    ("phone", "Bel 06-12345678 terug", "06-12345678"),
    ("phone", "mobiel 06 12 34 56 78", "06 12 34 56 78"),
    ("phone", "vast 020-1234567", "020-1234567"),
    ("phone", "vast 0541 123 456", "0541 123 456"),
    ("phone", "tel. +31 6 12345678", "+31 6 12345678"),
    ("phone", "tel. +31 (0)20 123 4567", "+31 (0)20 123 4567"),
    ("phone", "tel. 0031201234567", "0031201234567"),
    ("email", "mail jan.de.vries+zorg@example.nl graag", "jan.de.vries+zorg@example.nl"),
    ("postcode", "woont op 1234 AB 12", "1234 AB 12"),
    ("postcode", "adres 7511AB, nr. 5a", "7511AB, nr. 5a"),
    ("postcode", "Dorpsstraat 12, 1234 AB Enschede", "12, 1234 AB"),
    ("birthdate", "geboren 3-4-1987 in Hengelo", "3-4-1987"),
    ("birthdate", "geb. 03-04-1987", "03-04-1987"),
    ("birthdate", "geboortedatum: 1987-04-03", "1987-04-03"),
    ("birthdate", "Geboren op 3 april 1987", "3 april 1987"),
    ("name", "gesprek met dhr. Jansen over", "dhr. Jansen"),
    ("name", "en mevrouw De Vries zei", "mevrouw De Vries"),
    ("name", "Meneer van der Berg belde", "Meneer van der Berg"),
    ("name", "met mevr. J. Bakker", "mevr. J. Bakker"),
    ("name", "Mw. Öztürk kwam", "Mw. Öztürk"),
]

NEAR_MISSES = [
    "Rekening NL12ABNA0417164300 (controlecijfers kloppen niet)",
    "Het nummer 06-1234567 is te kort",
    "Bel 1234567",
    "Kosten: 123.456.789 euro",
    "Op 03-04-1987 begon de hulp",  # a date, no birth
    "Om 12.30 uur in zaal 1.04",
    "Postcode 1234 AB zonder huisnummer",
    "mail naar @teamleider",
    "De heer des huizes",
    "dhr. en mevr. kwamen samen",
    "In 2024 waren er 12 gesprekken met 3 gezinnen.",
    "Geboren in 1987",
]


@pytest.mark.parametrize(("kind", "text", "found"), FOUND)
def test_dutch_examples_are_found(kind, text, found):
    findings = scan(text)
    assert [(f.kind, text[f.start:f.end]) for f in findings] == [(kind, found)]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_not(text):
    assert scan(text) == []


def test_findings_come_in_order_and_never_overlap():
    text = (
        "Mevrouw Jansen (bsn 111222333, geb. 03-04-1987) woont op 1234 AB 12; bel 06-12345678 "
        "of mail m.jansen@example.nl; rekening NL91ABNA0417164300."
    )
    findings = scan(text)
    assert [f.kind for f in findings] == [
        "name", "bsn", "birthdate", "postcode", "phone", "email", "iban"]
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
