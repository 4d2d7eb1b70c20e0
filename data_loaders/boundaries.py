"""District and region outlines from the GeoJSON shipped in ``seed_data/boundaries``.

Why the app reads its own geometry: the map must work offline (no tiles, no topojson from a
CDN), so it is drawn on plain cartesian axes from these polygons. Each shape is returned as one
list of x and one of y with ``None`` between rings, ready for a ``go.Scatter(fill="toself")``
trace. ADM2 features carry ``geo_code`` = our district code and ADM1 features ``geo_code`` = the
region code; Dushanbe has no ADM2 feature, so its ADM1 outline is its coverage-unit shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BOUNDARY_DIR = Path(__file__).resolve().parent.parent / "seed_data" / "boundaries"
CITY_UNITS = ("TJ-DU",)  # regions that are a single coverage unit with no ADM2 feature


@dataclass(frozen=True)
class Shape:
    """One geo's outline as x (longitude) and y (latitude) lists, rings separated by None."""

    code: str
    x: tuple[float | None, ...]
    y: tuple[float | None, ...]
    label_x: float
    label_y: float


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer and inner rings of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _shape(feature: dict) -> Shape:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in _rings(feature["geometry"]):
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [point[0] for point in ring]
        ys += [point[1] for point in ring]
    props = feature["properties"]
    known = [v for v in xs if v is not None]
    label_x = props.get("label_lon") or (min(known) + max(known)) / 2
    known_y = [v for v in ys if v is not None]
    label_y = props.get("label_lat") or (min(known_y) + max(known_y)) / 2
    return Shape(props["geo_code"], tuple(xs), tuple(ys), float(label_x), float(label_y))


def read_shapes(path: Path) -> tuple[Shape, ...]:
    """Every feature of a GeoJSON file with a ``geo_code``, sorted by code."""
    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    return tuple(sorted((_shape(f) for f in features if f["properties"].get("geo_code")), key=lambda s: s.code))


@cache
def regions() -> tuple[Shape, ...]:
    """The five first-level outlines (four regions and Dushanbe), by code."""
    return read_shapes(BOUNDARY_DIR / "tajikistan_adm1.geojson")


@cache
def units() -> tuple[Shape, ...]:
    """The coverage units: the 58 districts plus Dushanbe city (from ADM1), sorted by code."""
    districts = read_shapes(BOUNDARY_DIR / "tajikistan_adm2.geojson")
    cities = tuple(s for s in regions() if s.code in CITY_UNITS)
    return tuple(sorted(districts + cities, key=lambda s: s.code))
