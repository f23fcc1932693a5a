"""The overview's network on the map of the Netherlands: a curved arrow from the visitors'
Werkplaats to the host's, as wide as the number of visitors, and a ring around a Werkplaats for
visits within it. Visitors without a Werkplaats, and Werkplaatsen without a place on the map,
are only in the table."""

import math
from dataclasses import dataclass

from leerkring.visits import map as nl_map
from leerkring.visits.overview_queries import Flow

#: Line widths in map units, for the smallest and the largest flow.
THINNEST, WIDEST = 1.0, 6.0
#: How far a curve bends away from the straight line, as a share of its length.
BEND = 0.18


@dataclass(frozen=True)
class Line:
    flow: Flow
    #: SVG path data: a quadratic curve, or a ring for visits within one Werkplaats.
    path: str
    width: float


def width(visitors: int, most: int) -> float:
    if most <= 1:
        return THINNEST
    return round(THINNEST + (WIDEST - THINNEST) * (visitors - 1) / (most - 1), 1)


def lines(flows: list[Flow]) -> list[Line]:
    """A line per flow between two Werkplaatsen on the map; thickest drawn first, so that thin
    lines stay visible on top."""
    drawn = [
        f for f in flows
        if f.source is not None
        and f.source.slug in nl_map.POSITIONS
        and f.target.slug in nl_map.POSITIONS
    ]
    most = max((f.visitors for f in drawn), default=0)
    found = []
    for flow in drawn:
        path = ring(flow.target.slug) if flow.is_internal else curve(
            flow.source.slug, flow.target.slug
        )
        found.append(Line(flow=flow, path=path, width=width(flow.visitors, most)))
    found.sort(key=lambda line: -line.width)
    return found


def curve(source: str, target: str) -> str:
    """From the edge of one dot to the edge of the other, bending to the right of the way
    travelled, so that the visits back and forth lie side by side."""
    (x1, y1), (x2, y2) = nl_map.POSITIONS[source], nl_map.POSITIONS[target]
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    gap = nl_map.DOT_RADIUS + 1
    sx, sy = x1 + ux * gap, y1 + uy * gap
    ex, ey = x2 - ux * (gap + 2), y2 - uy * (gap + 2)
    cx = (x1 + x2) / 2 - uy * length * BEND
    cy = (y1 + y2) / 2 + ux * length * BEND
    return f"M {sx:.1f} {sy:.1f} Q {cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}"


def ring(slug: str) -> str:
    """A circle around the Werkplaats' dot."""
    x, y = nl_map.POSITIONS[slug]
    r = nl_map.DOT_RADIUS + 4
    return (
        f"M {x - r:.1f} {y:.1f} a {r} {r} 0 1 0 {2 * r} 0 a {r} {r} 0 1 0 {-2 * r} 0"
    )
