from leerkring.i18n import missing_translations


def test_every_message_has_a_dutch_translation():
    """English is the source language; every string in code and templates is translated to Dutch."""
    assert missing_translations() == {}
