"""The map of the Netherlands on /visits/ and the overview: a simplified outline drawn by the
app, with each Werkplaats as a dot (on /visits/ showing its number of open visits). No tiles, no
outside services."""

from dataclasses import dataclass

from leerkring.werkplaatsen.models import Werkplaats

#: The viewBox of the map (width, height).
SIZE = (300, 345)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map units for a longitude and latitude (degrees east and north): a plain linear
    projection, about right for a country this size; the whole country fits in ``SIZE``."""
    return round(10 + 70 * (lon - 3.3), 1), round(10 + 106 * (53.7 - lat), 1)


# The outline, as (longitude, latitude) points along each coast and border, clockwise, simplified
# to a few kilometres. The IJsselmeer and the Markermeer are a hole in the mainland (drawn with
# the even-odd rule), with Flevoland an island in it.

#: The mainland with Zuid-Beveland and Walcheren, from the Schelde at the Belgian border along the
#: coast to the Dollard, then along the German and the Belgian border back.
MAINLAND = (
    # Zuid-Beveland and Walcheren
    (4.27, 51.37), (4.20, 51.40), (4.05, 51.44), (3.96, 51.43), (3.83, 51.385), (3.72, 51.42),
    (3.60, 51.44), (3.52, 51.47), (3.44, 51.535), (3.50, 51.575), (3.62, 51.595), (3.70, 51.54),
    (3.85, 51.51), (3.95, 51.525), (4.05, 51.50), (4.20, 51.45),
    # West Brabant, the Hollands Diep, Voorne-Putten
    (4.28, 51.49), (4.30, 51.58), (4.37, 51.64), (4.44, 51.69), (4.62, 51.70), (4.70, 51.72),
    (4.60, 51.735), (4.45, 51.74), (4.38, 51.735), (4.25, 51.775), (4.13, 51.82), (4.04, 51.845),
    (4.05, 51.90), (3.98, 51.955), (4.05, 51.98),
    # The North Sea coast of Holland
    (4.12, 51.99), (4.26, 52.11), (4.40, 52.20), (4.43, 52.245), (4.53, 52.37), (4.58, 52.46),
    (4.62, 52.62), (4.66, 52.77), (4.70, 52.84), (4.72, 52.93), (4.77, 52.965), (4.90, 52.935),
    # The Afsluitdijk and the Wadden coast of Friesland and Groningen
    (5.03, 52.94), (5.39, 53.10), (5.41, 53.17), (5.50, 53.25), (5.62, 53.31), (5.87, 53.40),
    (6.08, 53.40), (6.21, 53.41), (6.35, 53.40), (6.58, 53.43), (6.70, 53.44), (6.83, 53.46),
    (6.90, 53.40), (6.93, 53.33), (7.03, 53.30), (7.10, 53.26), (7.21, 53.23),
    # The German border, south to Limburg
    (7.21, 53.18), (7.20, 53.10), (7.21, 53.00), (7.09, 52.85), (7.05, 52.64), (6.76, 52.66),
    (6.71, 52.63), (6.75, 52.55), (6.95, 52.45), (7.07, 52.40), (7.05, 52.27), (6.98, 52.22),
    (6.86, 52.14), (6.76, 52.08), (6.83, 51.97), (6.62, 51.92), (6.49, 51.86), (6.38, 51.86),
    (6.25, 51.87), (6.12, 51.86), (6.05, 51.87), (6.00, 51.78), (6.02, 51.71), (6.10, 51.62),
    (6.22, 51.48), (6.22, 51.37), (6.20, 51.30), (6.15, 51.17), (6.00, 51.12), (5.89, 51.07),
    (5.90, 51.00), (5.98, 50.96), (6.03, 50.90), (6.08, 50.86), (6.02, 50.755),
    # The Belgian border, from Vaals back west to the Schelde
    (5.70, 50.76), (5.64, 50.83), (5.70, 50.93), (5.80, 51.06), (5.84, 51.16), (5.75, 51.24),
    (5.57, 51.22), (5.32, 51.27), (5.23, 51.32), (5.10, 51.43), (4.93, 51.42), (4.78, 51.45),
    (4.66, 51.43), (4.55, 51.45), (4.47, 51.46), (4.40, 51.36),
)

#: The IJsselmeer, the Markermeer and the lakes along Flevoland: a hole in the mainland, from Den
#: Oever along the Afsluitdijk, the Frisian coast, the Noordoostpolder, the Veluwe and Gooi shores
#: and the West Frisian coast.
IJSSELMEER = (
    (5.05, 52.92), (5.38, 53.08), (5.40, 53.05), (5.42, 52.98), (5.40, 52.94), (5.36, 52.88),
    (5.44, 52.83), (5.71, 52.84), (5.63, 52.76), (5.60, 52.66), (5.70, 52.64), (5.82, 52.62),
    (5.88, 52.58), (5.85, 52.52), (5.84, 52.45), (5.73, 52.40), (5.61, 52.35), (5.50, 52.28),
    (5.30, 52.28), (5.24, 52.30), (5.07, 52.33), (5.00, 52.35), (4.99, 52.38), (5.10, 52.46),
    (5.07, 52.50), (5.04, 52.58), (5.06, 52.64), (5.29, 52.70), (5.22, 52.75), (5.11, 52.77),
    (5.08, 52.85),
)

#: Flevoland, the polder in the lakes.
FLEVOLAND = (
    (5.43, 52.52), (5.46, 52.57), (5.62, 52.61), (5.77, 52.59), (5.80, 52.53), (5.79, 52.47),
    (5.70, 52.41), (5.58, 52.36), (5.48, 52.31), (5.33, 52.30), (5.22, 52.33), (5.11, 52.36),
    (5.17, 52.42), (5.31, 52.47),
)

#: The Wadden islands and the other islands of Zeeland and South Holland.
ISLANDS = {
    "texel": (
        (4.73, 53.00), (4.71, 53.05), (4.74, 53.10), (4.80, 53.16), (4.86, 53.18), (4.90, 53.17),
        (4.90, 53.12), (4.85, 53.04), (4.78, 52.99),
    ),
    "vlieland": ((4.90, 53.23), (4.98, 53.27), (5.10, 53.31), (5.08, 53.285), (4.96, 53.24)),
    "terschelling": (
        (5.16, 53.36), (5.30, 53.41), (5.45, 53.44), (5.58, 53.47), (5.55, 53.44), (5.40, 53.40),
        (5.25, 53.36),
    ),
    "ameland": (
        (5.62, 53.45), (5.75, 53.47), (5.92, 53.48), (5.90, 53.45), (5.75, 53.43), (5.64, 53.43),
    ),
    "schiermonnikoog": ((6.11, 53.48), (6.20, 53.50), (6.33, 53.51), (6.30, 53.48), (6.16, 53.465)),
    "zeeuws-vlaanderen": (
        (3.37, 51.37), (3.55, 51.40), (3.66, 51.38), (3.83, 51.34), (4.03, 51.38), (4.14, 51.37),
        (4.22, 51.35), (4.17, 51.29), (3.98, 51.22), (3.80, 51.21), (3.60, 51.26), (3.45, 51.25),
        (3.37, 51.28),
    ),
    "noord-beveland": (
        (3.66, 51.60), (3.75, 51.61), (3.87, 51.60), (3.93, 51.56), (3.85, 51.54), (3.73, 51.56),
    ),
    "schouwen-duiveland": (
        (3.69, 51.69), (3.75, 51.735), (3.90, 51.735), (4.00, 51.70), (4.10, 51.665),
        (4.02, 51.635), (3.90, 51.635), (3.78, 51.65),
    ),
    "tholen": (
        (4.00, 51.59), (4.08, 51.63), (4.20, 51.64), (4.26, 51.60), (4.24, 51.53), (4.18, 51.52),
        (4.08, 51.55),
    ),
    "goeree-overflakkee": (
        (3.84, 51.82), (3.98, 51.83), (4.10, 51.80), (4.22, 51.75), (4.33, 51.71), (4.37, 51.685),
        (4.25, 51.69), (4.15, 51.72), (4.05, 51.745), (3.95, 51.77), (3.86, 51.78),
    ),
}

#: Every ring of the outline; with the even-odd rule the IJsselmeer is water and Flevoland land.
RINGS = (MAINLAND, IJSSELMEER, FLEVOLAND, *ISLANDS.values())


def path(rings) -> str:
    """SVG path data for closed rings of (longitude, latitude) points."""
    parts = []
    for ring in rings:
        points = [project(lon, lat) for lon, lat in ring]
        parts.append(
            "M " + " L ".join(f"{x:g} {y:g}" for x, y in points) + " Z"
        )
    return " ".join(parts)


#: The outline of the Netherlands in map units; fill it with ``fill-rule="evenodd"``.
OUTLINE = path(RINGS)

#: Where each Werkplaats sits: its main city (or the middle of its region), as (longitude,
#: latitude).
PLACES = {
    "amsterdam-en-omgeving": (4.90, 52.37),
    "arnhem-en-nijmegen": (5.89, 51.91),
    "den-haag-leiden": (4.40, 52.08),
    "flevoland": (5.50, 52.47),
    "friesland": (5.80, 53.17),
    "gelderse-vallei": (5.65, 52.04),
    "kus": (5.12, 52.09),
    "noord": (6.57, 53.19),
    "noord-brabant-avans": (4.82, 51.57),
    "noord-brabant-fontys": (5.47, 51.42),
    "noord-holland": (4.75, 52.65),
    "regio-zwolle": (6.09, 52.52),
    "twente": (6.82, 52.25),
    "zeeland": (3.61, 51.50),
    "zuid-holland-zuid": (4.69, 51.80),
    "zuyd": (5.80, 50.87),
}

#: Where each Werkplaats sits on the map.
POSITIONS = {slug: project(lon, lat) for slug, (lon, lat) in PLACES.items()}

#: Shorter names where the full one does not fit on the map.
SHORT_NAMES = {
    "amsterdam-en-omgeving": "Amsterdam",
    "arnhem-en-nijmegen": "Arnhem-Nijmegen",
    "kus": "Utrecht (kUS)",
    "noord-brabant-avans": "Avans",
    "noord-brabant-fontys": "Fontys",
    "zeeland": "Zeeland",
}

#: Where a dot's label goes, so that labels do not cover other dots; "right" by default.
LABEL_SIDES = {
    "amsterdam-en-omgeving": "left",
    "den-haag-leiden": "left",
    "flevoland": "above",
    "friesland": "below",
    "gelderse-vallei": "above",
    "kus": "below",
    "noord": "below",
    "noord-brabant-avans": "left",
    "noord-holland": "left",
    "twente": "below",
    "zeeland": "above",
    "zuid-holland-zuid": "left",
}

DOT_RADIUS = 8
_LABEL_OFFSETS = {
    "right": (DOT_RADIUS + 3, 3, "start"),
    "left": (-DOT_RADIUS - 3, 3, "end"),
    "above": (0, -DOT_RADIUS - 4, "middle"),
    "below": (0, DOT_RADIUS + 10, "middle"),
}


@dataclass(frozen=True)
class Spot:
    """One Werkplaats on the map."""

    werkplaats: Werkplaats
    open_visits: int
    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str


def spots(counts: list[tuple[Werkplaats, int]]) -> list[Spot]:
    """A dot for every Werkplaats with a place on the map (others are only in the table)."""
    found = []
    for werkplaats, open_visits in counts:
        if werkplaats.slug not in POSITIONS:
            continue
        x, y = POSITIONS[werkplaats.slug]
        dx, dy, anchor = _LABEL_OFFSETS[LABEL_SIDES.get(werkplaats.slug, "right")]
        found.append(
            Spot(
                werkplaats=werkplaats,
                open_visits=open_visits,
                x=x,
                y=y,
                label=SHORT_NAMES.get(werkplaats.slug, werkplaats.name),
                label_x=x + dx,
                label_y=y + dy,
                anchor=anchor,
            )
        )
    return found
