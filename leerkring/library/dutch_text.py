"""Dutch text for the library's search: the search terms of a text (lower case, stop words left
out, stemmed with the classic Snowball Dutch stemmer, as PostgreSQL's ``dutch`` configuration
does), and snippets with the matching words marked."""

import re
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

#: PostgreSQL's (and Snowball's) Dutch stop words.
_DUTCH_STOP_WORDS = """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar
    heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel
    meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt
    wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest andere"""
STOP_WORDS = frozenset(_DUTCH_STOP_WORDS.split())

WORD = re.compile(r"\w+")

_stemmer = snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str | None:
    """The search term for one word: lower case, stemmed; None for a stop word."""
    word = word.lower()
    if word in STOP_WORDS:
        return None
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """The search terms of ``text`` in order, stop words left out."""
    return [term for term in map(stem, WORD.findall(text or "")) if term]


#: Markdown's links and marks, left out of snippets (the same patterns work in PostgreSQL).
MARKDOWN_LINK = re.compile(r"\[([^]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"[*_`#>~|]+")


def plain(markdown: str) -> str:
    """Markdown as plain text for a snippet: a link's words without its address, no marks."""
    return MARKDOWN_MARKS.sub("", MARKDOWN_LINK.sub(r"\1", markdown or ""))


def passage(text: str, words: set[str], length: int = 30) -> Markup | None:
    """About ``length`` words of ``text`` around its first match of ``words`` (stemmed terms),
    HTML-escaped, with the matching words in ``<mark>``; None when nothing matches."""
    tokens = []
    first = None
    for match in WORD.finditer(text):
        tokens.append(match)
        if first is None and stem(match.group()) in words:
            first = len(tokens) - 1
        if first is not None and len(tokens) >= first + length:
            break
    if first is None:
        return None
    start = max(0, first - 5)
    window = tokens[start : start + length]
    parts = ["… " if start else ""]
    position = window[0].start()
    for token in window:
        parts.append(str(escape(text[position : token.start()])))
        word = str(escape(token.group()))
        parts.append(f"<mark>{word}</mark>" if stem(token.group()) in words else word)
        position = token.end()
    if WORD.search(text, window[-1].end()):
        parts.append(" …")
    else:
        parts.append(str(escape(text[position:])))
    return Markup(" ".join("".join(parts).split()))
