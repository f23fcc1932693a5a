"""Benchmark: search a library of many items, as ``/library/`` does.

    .venv/bin/python benchmarks/library_search.py [--count 50000] [--rounds 5]

Makes a fresh database (a temporary SQLite file; with DATABASE_URL set, a new PostgreSQL database
next to the one it names, dropped afterwards), migrates it, writes ``--count`` published library
items of varied Dutch text made from word lists (a title, a summary, a body, and for one item in
five a document's text), with themes, Werkplaatsen and O's, and indexes them. Then it runs a set of
typical searches (single words in other forms than the text has, two words, filters, a second
page, no words at all) ``--rounds`` times each through ``leerkring.library.search.query`` and
prints the build and index times and the p50 and p95 of a search.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reminders import FreshDatabase, peak_memory_mb  # noqa: E402

from leerkring import create_app  # noqa: E402
from leerkring.extensions import db  # noqa: E402
from leerkring.library import search  # noqa: E402
from leerkring.library.models import (  # noqa: E402
    FourO,
    ItemKind,
    ItemO,
    ItemStatus,
    LibraryItem,
    library_item_themes,
    library_item_werkplaatsen,
)
from leerkring.werkplaatsen.models import Theme, Werkplaats  # noqa: E402

_NOUNS = """
eenzaamheid ouderen oudere buurt buurten wijk wijken mantelzorg mantelzorger mantelzorgers
vrijwilliger vrijwilligers jongeren jongere kinderen kind gezin gezinnen armoede schulden schuld
schuldhulp participatie zorg welzijn gemeente gemeenten professional professionals student
studenten docent docenten onderwijs onderzoek ontwikkeling ondersteuning leerkring leerkringen
bijeenkomst bijeenkomsten werkplaats ervaringsdeskundige ervaringsdeskundigen coördinator
buurtteam buurtteams huisarts huisartsen wijkverpleging dementie mantelzorgondersteuning
inkomen werk werkloosheid taal laaggeletterdheid gezondheid preventie sport cultuur
samenwerking netwerk netwerken methode methodes instrument instrumenten rapport evaluatie
inwoner inwoners bewoner bewoners cliënt cliënten jeugdzorg jeugdhulp opvoeding school scholen
dagbesteding wonen woning huisvesting veiligheid radicalisering diversiteit inclusie
toegankelijkheid digitalisering beleid beleidsmakers"""
_ADJECTIVES = """
eenzame kwetsbare nieuwe lokale regionale sociale praktische goede kleine grote
oudere jonge betrokken samenwerkende zelfstandige gezonde digitale integrale"""
_VERBS = """
versterken ondersteunen begeleiden onderzoeken ontwikkelen leren delen verbeteren
bereiken betrekken samenwerken helpt helpen leert deelt ontmoeten voorkomen signaleren
organiseren evalueren"""
_GLUE = "de het een en van in met voor op door over bij naar om te als wat hoe"
NOUNS, ADJECTIVES, VERBS, GLUE = (words.split() for words in (_NOUNS, _ADJECTIVES, _VERBS, _GLUE))
_SYLLABLES = ("ver be ge ont her aan af op uit door over on in kom werk leer zorg buur huis "
             "hulp school taal spel plan raad stad dorp land geld tijd kracht plek baan")
SYLLABLES = _SYLLABLES.split()
ENDINGS = ("", "en", "ing", "heid", "er", "ers", "te", "lijk", "ig", "isch", "je", "s")

FILLER: list[str] = []

QUERIES = [
    ("eenzaamheid", {}),
    ("eenzaam ouderen", {}),
    ("mantelzorgers", {}),
    ("vrijwilliger wijk", {}),
    ("armoede schulden", {}),
    ("jongere", {}),
    ("laaggeletterdheid", {}),
    ("digitalisering ouderen", {}),
    ("samenwerken gemeente huisartsen", {}),
    ("dementie", {"kind": "method"}),
    ("jeugdzorg", {"theme": "armoede"}),
    ("participatie", {"werkplaats": "twente", "year": "2024"}),
    ("gezondheid", {"o": "onderzoek"}),
    ("", {}),
    ("", {"kind": "tool", "theme": "armoede"}),
    ("nietsvindbaarwoord", {}),
]


def filler_words(rng: random.Random, count: int = 30_000) -> list[str]:
    """A large vocabulary of Dutch-looking words, so that the domain words are not everywhere."""
    words = set()
    while len(words) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        words.add(stem + rng.choice(ENDINGS))
    words = sorted(words)
    rng.shuffle(words)
    return words


def sentence(rng: random.Random, words: int) -> str:
    """Mostly glue and filler words (drawn unevenly, as words are), one in twenty from the social
    domain's word lists."""
    parts = []
    for _ in range(words):
        draw = rng.random()
        if draw < 0.35:
            parts.append(rng.choice(GLUE))
        elif draw < 0.40:
            parts.append(rng.choice((NOUNS, NOUNS, ADJECTIVES, VERBS)[rng.randrange(4)]))
        else:
            parts.append(FILLER[min(len(FILLER) - 1, int(rng.paretovariate(0.7)) - 1)])
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = min(words, rng.randint(8, 18))
        sentences.append(sentence(rng, length))
        words -= length
    return " ".join(sentences)


def build(count: int, rng: random.Random, batch: int = 2000) -> None:
    themes = db.session.execute(sa.select(Theme.id).order_by(Theme.id)).scalars().all()
    werkplaatsen = db.session.execute(
        sa.select(Werkplaats.id).order_by(Werkplaats.id)).scalars().all()
    kinds = list(ItemKind)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for first in range(0, count, batch):
        rows, links_t, links_w, os_ = [], [], [], []
        for item_id in range(first + 1, min(count, first + batch) + 1):
            published = start + timedelta(minutes=item_id * 37)
            rows.append({
                "id": item_id,
                "title": sentence(rng, rng.randint(3, 8)).rstrip("."),
                "summary": paragraph(rng, rng.randint(15, 40)),
                "body": paragraph(rng, rng.randint(60, 250)),
                "document_text": paragraph(rng, rng.randint(200, 1000)) if item_id % 5 == 0
                else "",
                "kind": rng.choice(kinds),
                "status": ItemStatus.PUBLISHED,
                "is_public": item_id % 3 == 0,
                "year": 2018 + item_id % 9,
                "published_at": published,
                "created_at": published,
                "updated_at": published,
            })
            links_t.append({"item_id": item_id, "theme_id": rng.choice(themes)})
            if item_id % 4:
                links_w.append({"item_id": item_id, "werkplaats_id": rng.choice(werkplaatsen)})
            for o in rng.sample(list(FourO), rng.randint(1, 2)):
                os_.append({"item_id": item_id, "o": o})
        db.session.execute(sa.insert(LibraryItem), rows)
        db.session.execute(sa.insert(library_item_themes), links_t)
        db.session.execute(sa.insert(library_item_werkplaatsen), links_w)
        db.session.execute(sa.insert(ItemO), os_)
    db.session.commit()


def timed(work):
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(count: int, rounds: int, database: FreshDatabase) -> int:
    app = create_app({
        "DATABASE_URL": database.url, "SECRET_KEY": "benchmark", "SERVER_NAME": "leerkring.test",
        "LEERKRING_SCHEDULER": "off", "LOG_LEVEL": "WARNING",
    })
    rng = random.Random(8)
    FILLER[:] = filler_words(rng)
    with app.app_context():
        upgrade()
        dialect = db.engine.dialect.name
        _, build_seconds = timed(lambda: build(count, rng))
        indexed, index_seconds = timed(search.reindex_all)
        db.session.commit()
        if dialect == "postgresql":
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        times, totals, by_search = [], {}, {}
        with app.test_request_context():
            for _ in range(rounds):
                for text, filters in QUERIES:
                    for page in (1, 2) if text == "eenzaamheid" else (1,):
                        results, seconds = timed(
                            lambda text=text, filters=filters, page=page: search.query(
                                text, filters, page=page, per_page=20))
                        db.session.rollback()  # no identity-map reuse between searches
                        db.session.expunge_all()
                        times.append(seconds)
                        by_search.setdefault((text, str(filters), page), []).append(seconds)
                        totals[(text, str(filters), page)] = results.total
        db.session.remove()
        db.engine.dispose()

    print(f"\nLeerkring library search benchmark: {count} items ({dialect}, "
          f"Python {sys.version.split()[0]})")
    print(f"build (insert items)   {build_seconds:8.2f} s")
    print(f"index ({indexed} items) {index_seconds:8.2f} s"
          + ("   (PostgreSQL: generated column, filled while inserting)"
             if dialect == "postgresql" else ""))
    print(f"searches               {len(times):8d}   ({len(QUERIES) + 1} kinds × {rounds} rounds)")
    print(f"p50                    {percentile(times, 0.5) * 1000:8.1f} ms")
    print(f"p95                    {percentile(times, 0.95) * 1000:8.1f} ms")
    print(f"max                    {max(times) * 1000:8.1f} ms")
    print(f"peak RSS               {peak_memory_mb():8.0f} MB")
    print(f"\n{'search':<62}{'results':>8}{'median ms':>11}")
    for (text, filters, page), total in totals.items():
        label = (f"{text or '(no words)'}{' ' + filters if filters != '{}' else ''}"
                 f"{' (page 2)' if page == 2 else ''}")
        median = statistics.median(by_search[(text, filters, page)]) * 1000
        print(f"{label:<62}{total:>8}{median:>11.1f}")
    return 0 if totals[("eenzaamheid", "{}", 1)] > 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=50_000, help="library items")
    parser.add_argument("--rounds", type=int, default=5, help="times each search runs")
    args = parser.parse_args()
    database = FreshDatabase(os.environ.get("DATABASE_URL"))
    try:
        return run(args.count, args.rounds, database)
    finally:
        database.drop()


if __name__ == "__main__":
    sys.exit(main())
