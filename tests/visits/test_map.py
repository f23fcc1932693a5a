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


def inside(ring, lon: float, lat: float) -> bool:
    """Ray casting: whether (lon, lat) lies within the closed ring."""
    found = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


def on_land(lon: float, lat: float) -> bool:
    """Inside an odd number of rings: the even-odd rule the map is filled with."""
    return sum(inside(ring, lon, lat) for ring in nl_map.RINGS) % 2 == 1


def test_the_outline_is_projected_like_the_werkplaatsen(app):
    assert sum(len(ring) for ring in nl_map.RINGS) < 400
    assert nl_map.OUTLINE.count("M ") == len(nl_map.RINGS) == 13
    first = nl_map.project(*nl_map.MAINLAND[0])
    assert nl_map.OUTLINE.startswith(f"M {first[0]:g} {first[1]:g} L ")
    width, height = nl_map.SIZE
    for ring in nl_map.RINGS:
        assert all(0 < x < width and 0 < y < height
                   for x, y in (nl_map.project(lon, lat) for lon, lat in ring))
    for slug, (lon, lat) in nl_map.PLACES.items():
        assert nl_map.POSITIONS[slug] == nl_map.project(lon, lat)


@pytest.mark.parametrize(("place", "lon", "lat", "land"), [
    ("Utrecht", 5.12, 52.09, True),
    ("Groningen", 6.57, 53.22, True),
    ("Maastricht", 5.69, 50.85, True),
    ("Texel", 4.80, 53.08, True),
    ("Terschelling", 5.35, 53.40, True),
    ("Schouwen-Duiveland", 3.90, 51.69, True),
    ("Goeree-Overflakkee", 4.15, 51.76, True),
    ("Zeeuws-Vlaanderen", 3.80, 51.28, True),
    ("Lelystad's polder", 5.55, 52.45, True),
    ("the IJsselmeer", 5.30, 52.85, False),
    ("the Markermeer", 5.20, 52.55, False),
    ("the Wadden Sea", 5.30, 53.25, False),
    ("the Westerschelde", 3.75, 51.385, False),
    ("the Oosterschelde", 3.90, 51.615, False),
    ("the North Sea", 4.20, 52.50, False),
    ("Germany", 7.00, 52.00, False),
    ("Belgium", 5.20, 51.10, False),
])
def test_the_outline_has_land_and_water_where_they_are(place, lon, lat, land):
    assert on_land(lon, lat) is land, place


def test_every_werkplaats_sits_on_land_in_its_own_region():
    for slug, (lon, lat) in nl_map.PLACES.items():
        assert on_land(lon, lat), slug
    assert inside(nl_map.FLEVOLAND, *nl_map.PLACES["flevoland"])
    assert inside(nl_map.MAINLAND, *nl_map.PLACES["zeeland"])
    assert nl_map.PLACES["zeeland"][0] < 3.7
    assert nl_map.PLACES["zuyd"][1] < 51.0
    assert nl_map.PLACES["noord-holland"][0] < min(lon for lon, _ in nl_map.IJSSELMEER)


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
    assert 'role="group"' in svg and 'aria-labelledby="visit-map-title visit-map-desc"' in svg
    assert '<title id="visit-map-title">Map of the Netherlands with the Werkplaatsen</title>' in svg
    assert '<desc id="visit-map-desc">' in svg
    assert '<th scope="col">Open visits</th>' in text
    assert "style=" not in svg
    assert f'<path class="nl-land" fill-rule="evenodd" d="{nl_map.OUTLINE}"/>' in svg
    assert text.index('id="visit-filters"') < text.index('class="nl-map"') < text.index(
        'id="visit-results"')
