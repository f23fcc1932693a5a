"""The overview of the Netherlands on /visits/: a simplified outline drawn by the app, with
each Werkplaats as a dot showing its number of open visits. No tiles, no outside services."""

from dataclasses import dataclass

from leerkring.werkplaatsen.models import Werkplaats

#: The viewBox of the map (width, height).
SIZE = (300, 345)

#: A hand-made outline of the Netherlands (mainland, without the islands), in map units.
OUTLINE = (
    "M 111.5 82.6 L 132.5 72.4 L 157 55.4 L 178 32.7 L 213 30.4 L 255 25.9 L 269 38.4 "
    "L 283 49.7 L 272.5 95.1 L 272.5 121.1 L 249.4 127.9 L 272.5 146.1 L 258.5 168.8 "
    "L 251.5 194.8 L 213 208.5 L 195.5 214.1 L 213 248.1 L 199 282.2 L 206 293.5 L 192 329.8 "
    "L 178 333.2 L 174.5 321.9 L 185 287.8 L 164 270.8 L 143 270.8 L 115 251.5 L 87 257.2 "
    "L 76.5 262.9 L 17 276.5 L 20.5 242.5 L 59 225.5 L 62.5 197.1 L 87 168.8 L 97.5 140.4 "
    "L 104.5 100.7 Z"
)

#: Where each Werkplaats sits on the map (from the longitude and latitude of its main city).
POSITIONS = {
    "amsterdam-en-omgeving": (122.0, 149.5),
    "arnhem-en-nijmegen": (192.0, 200.5),
    "den-haag-leiden": (87.0, 182.4),
    "flevoland": (164.0, 140.4),
    "friesland": (185.0, 66.7),
    "gelderse-vallei": (174.5, 185.8),
    "kus": (137.4, 181.2),
    "noord": (241.0, 66.7),
    "noord-brabant-avans": (118.5, 236.8),
    "noord-brabant-fontys": (161.9, 254.9),
    "noord-holland": (111.5, 117.7),
    "regio-zwolle": (206.0, 132.5),
    "twente": (255.0, 163.1),
    "zeeland": (34.5, 248.1),
    "zuid-holland-zuid": (105.9, 214.1),
    "zuyd": (185.0, 310.5),
}

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
