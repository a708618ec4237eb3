"""The schema.org type hierarchy under CreativeWork, and the kind of work each type means.

``schema_types.json`` maps every schema.org type that descends from CreativeWork to its
parent types, derived from schema.org's published vocabulary (the ``*-types.csv`` file of a
release). A JSON-LD or microdata item of any such type is read as a work, and its kind is
that of its nearest ancestor named in ``KINDS``: a ``ReportageNewsArticle`` is a
``NewsArticle``, an ``Article``, so a ``post``; a ``MedicalScholarlyArticle`` a ``paper``.

To derive the file from a newer release::

    python -m linkgraph.resolve.schema_types schemaorg-current-https-types.csv
"""

from __future__ import annotations

import csv
import json
import sys
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("schema_types.json")
ROOT = "CreativeWork"
# The kinds of works by schema.org type, most telling first; the kind of any other type
# is that of its nearest ancestor here. None: a work of no particular kind.
KINDS = {
    "ScholarlyArticle": "paper",
    "Thesis": "paper",
    "Chapter": "paper",
    "Report": "paper",
    "Article": "post",
    "VideoObject": "video",
    "Dataset": "dataset",
    "SoftwareSourceCode": "code",
    "PodcastEpisode": "podcast",
    "Book": None,
    "WebPage": None,
    "MediaObject": None,
    ROOT: None,
}
_ORDER = list(KINDS)


@cache
def parents() -> dict[str, tuple[str, ...]]:
    """Every CreativeWork type with its parent types (the shipped data)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {name: tuple(found) for name, found in data.items()}


@cache
def nearest(type_name: str) -> str | None:
    """The nearest ancestor of a type (itself included) that ``KINDS`` names, else None."""
    hierarchy = parents()
    seen: set[str] = set()
    frontier = [type_name]
    while frontier:  # breadth first: a nearer ancestor wins over a farther one
        for name in frontier:
            if name in KINDS:
                return name
        seen.update(frontier)
        frontier = [p for name in frontier for p in hierarchy.get(name, ()) if p not in seen]
    return None


def rank(type_names: list[str]) -> int | None:
    """How telling the most telling of an item's types is (0 best), None for no work type."""
    found = [_ORDER.index(n) for n in map(nearest, type_names) if n is not None]
    return min(found) if found else None


def kind(type_names: list[str]) -> str | None:
    """The kind of work an item's types mean, or None."""
    best = rank(type_names)
    return KINDS[_ORDER[best]] if best is not None else None


def derive(types_csv: Path) -> dict[str, list[str]]:
    """The CreativeWork subtree from a schema.org release's types CSV (``id``, ``subTypeOf``)."""
    with types_csv.open(encoding="utf-8", newline="") as handle:
        every = {
            row["label"]: [p.strip().rsplit("/", 1)[-1] for p in row["subTypeOf"].split(",")]
            for row in csv.DictReader(handle)
        }

    def under_root(name: str, trail: frozenset = frozenset()) -> bool:
        if name == ROOT:
            return True
        return any(
            under_root(p, trail | {name}) for p in every.get(name, []) if p and p not in trail
        )

    return {
        name: sorted(p for p in found if p and under_root(p))
        for name, found in sorted(every.items())
        if under_root(name)
    }


if __name__ == "__main__":
    DATA.write_text(json.dumps(derive(Path(sys.argv[1])), indent=1) + "\n", encoding="utf-8")
