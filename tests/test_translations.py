from leerkring.i18n import conflicting_translations, missing_translations


def test_every_message_has_a_dutch_translation():
    """English is the source language; every string in code and templates is translated to Dutch."""
    assert missing_translations() == {}


def test_areas_translate_a_shared_message_alike():
    assert conflicting_translations() == {}
