"""Helpers for the accounts tests: the link in a mail, a registration that passes."""

import re

from tests.conftest import Mailbox

ENGLISH = {"Accept-Language": "en"}

LINK = re.compile(r"https?://\S+")


def links_in(message) -> list[str]:
    return LINK.findall(Mailbox.text(message))


def link_in(message, path: str) -> str:
    """The one link in ``message``'s text whose path starts with ``path``."""
    found = [link for link in links_in(message) if path in link]
    assert len(found) == 1, links_in(message)
    return found[0]


def registration(**overrides) -> dict:
    return {
        "name": "Sanne de Vries",
        "email": "sanne@example.org",
        "password": "een lange zin als wachtwoord",
        "field_role": "professional",
        "home_werkplaats": "",
        "organisation": "Wijkteam Oost",
        **overrides,
    }


CSRF_TOKEN = re.compile(
    r'("X-CSRFToken": "|name="csrf_token" type="hidden" value="|name="csrf_token" value=")[^"]*'
)


def page_text(response) -> str:
    """The page as the visitor sees it, without the (always different) CSRF tokens."""
    return CSRF_TOKEN.sub(r"\1", response.text)
