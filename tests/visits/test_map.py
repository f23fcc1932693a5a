"""The overview of the Netherlands on /visits/: every Werkplaats with its open visits."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from leerkring.extensions import db
from leerkring.visits import map as nl_map
from leerkring.visits import queries
from leerkring.visits.models import VisitStatus
from leerkring.werkplaatsen.models import Werkplaats, WerkplaatsKind
from tests import factories as f

ENGLISH = {"Accept-Language": "en"}


def spot_count(text: str, slug: str) -> int:
    found = re.search(
        rf'data-werkplaats="{slug}">\s*<circle[^>]*/>\s*<text class="nl-count"[^>]*>(\d+)</text>',
        text,
    )
    return int(found.group(1))


def table_count(text: str, slug: str) -> int:
    found = re.search(rf'werkplaats={slug}">[^<]*</a></th>\s*<td>(\d+)</td>', text)
    return int(found.group(1))


@pytest.fixture
def known_visits():
    """Twente: 3 open (one of them full); Zuyd: 1 open; the rest past, pending, declined or
    cancelled."""
    twente = f.make_user(home_werkplaats=f.werkplaats("twente"))
    zuyd = f.make_user(home_werkplaats=f.werkplaats("zuyd"))
    soon = datetime.now(UTC) + timedelta(days=3)
    f.make_visit(twente, starts_at=soon)
    f.make_visit(twente, starts_at=soon + timedelta(days=40))
    f.make_visit(twente, starts_at=soon, max_places=2, places_taken=2)
    f.make_visit(twente, starts_at=soon - timedelta(days=10))
    f.make_visit(twente, status=VisitStatus.PENDING)
    f.make_visit(zuyd, starts_at=soon)
    f.make_visit(zuyd, status=VisitStatus.DECLINED)
    f.make_visit(zuyd, status=VisitStatus.CANCELLED)
    return {"twente": 3, "zuyd": 1}


def test_every_seeded_werkplaats_has_a_place_on_the_map(app):
    slugs = set(
        db.session.execute(
            db.select(Werkplaats.slug).where(Werkplaats.kind == WerkplaatsKind.WERKPLAATS)
        ).scalars()
    )
    assert set(nl_map.POSITIONS) == slugs
    width, height = nl_map.SIZE
    assert all(0 < x < width and 0 < y < height for x, y in nl_map.POSITIONS.values())


def test_the_counts_come_from_one_grouped_query(app, known_visits, count_queries):
    with count_queries() as counter:
        counts = {werkplaats.slug: n for werkplaats, n in queries.open_counts()}
    assert counter.count == 1
    assert len(counts) == 16 and "associatie" not in counts
    assert counts["twente"] == 3 and counts["zuyd"] == 1
    assert sum(counts.values()) == 4


def test_the_map_shows_the_open_visits_per_werkplaats(client, login, known_visits):
    login(f.make_user())
    text = client.get("/visits/", headers=ENGLISH).text
    assert spot_count(text, "twente") == table_count(text, "twente") == 3
    assert spot_count(text, "zuyd") == table_count(text, "zuyd") == 1
    assert spot_count(text, "friesland") == table_count(text, "friesland") == 0
    assert text.count('class="nl-spot') == 16
    assert 'data-werkplaats="associatie"' not in text
    assert 'class="nl-spot nl-spot-empty" data-werkplaats="friesland"' in text


def test_each_dot_links_to_the_list_of_its_werkplaats(client, login, known_visits):
    login(f.make_user())
    text = client.get("/visits/", headers=ENGLISH).text
    assert re.search(r'<a href="/visits/\?werkplaats=twente" tabindex="-1"[^>]*'
                     r'data-werkplaats="twente">', text)
    assert '<a href="/visits/?werkplaats=zuyd">Zuyd</a></th>' in text
    assert ">Utrecht (kUS)</text>" in text


def test_the_map_is_accessible(client, login, known_visits):
    login(f.make_user())
    text = client.get("/visits/", headers=ENGLISH).text
    svg = re.search(r"<svg class=\"nl-map\".*?</svg>", text, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="visit-map-title visit-map-desc"' in svg
    assert '<title id="visit-map-title">Map of the Netherlands with the Werkplaatsen</title>' in svg
    assert '<desc id="visit-map-desc">' in svg
    assert '<th scope="col">Open visits</th>' in text
    assert "style=" not in svg
    assert text.index('id="visit-filters"') < text.index('class="nl-map"') < text.index(
        'id="visit-results"')
