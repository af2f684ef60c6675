"""The shipped tables of UK police forces and local authorities (custody/data/, no
postcode service): which force or council a custody row's home area names, and
whether it lies outside the force area."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " county borough council",
    " borough council",
    " city council",
    " county council",
    " district council",
    " council",
    " police service",
    " police force",
    " constabulary",
    " police",
)
_PREFIXES = ("london borough of ", "royal borough of ", "the ")


def area_key(text: str) -> str:
    """ "North Yorkshire Police", "North Yorkshire Council" and "north yorkshire" alike."""
    text = re.sub(r"[^a-z0-9 ]+", " ", (text or "").lower().replace("&", " and "))
    text = " ".join(text.split())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text.strip()


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if line.strip() and not line.startswith("#")))


@dataclass(frozen=True)
class Area:
    name: str  # as shipped: "Leeds", "North Yorkshire Police"
    force: str  # the police force whose area it is
    kind: str  # "force" or "local authority"


@cache
def areas() -> dict[str, Area]:
    """area_key -> Area, for every force and local authority (and their other names)."""
    found: dict[str, Area] = {}
    for row in _rows("uk_police_forces.csv"):
        area = Area(name=row["name"], force=row["name"], kind="force")
        for name in [row["name"], *filter(None, row["other_names"].split("|"))]:
            found.setdefault(area_key(name), area)
    for row in _rows("uk_local_authorities.csv"):
        area = Area(name=row["name"], force=row["police_force"], kind="local authority")
        for name in [row["name"], *filter(None, row["other_names"].split("|"))]:
            found.setdefault(area_key(name), area)
    return found


def home_keys() -> set[str]:
    keys = {area_key(settings.FORCE_NAME), *(area_key(a) for a in settings.CUSTODY_HOME_AREAS)}
    home = areas().get(area_key(settings.FORCE_NAME))
    if home:
        keys |= {k for k, a in areas().items() if a.force == home.force}
    return keys


def area_reason(text: str) -> tuple[str, bool]:
    """(reason, out of area) for the home_force_or_local_authority cell."""
    k = area_key(text)
    if not k or k in home_keys():
        return "", False
    area = areas().get(k)
    if area is None:
        return f"Home area not recognised: \u201c{text[:60]}\u201d", False
    if area.kind == "force":
        return f"Home force {area.name}", True
    return f"Home local authority {area.name} ({area.force})", True
