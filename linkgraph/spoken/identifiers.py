"""Identifiers written or spoken in running text: ``arXiv 2303.12642``, ``DOI 10.1145/...``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..identify import identify

# "arXiv 2303.12642", "arXiv:2303.12642v2", "arxiv paper 1902.09725", "arXiv hep-th/9901001".
_ARXIV = re.compile(
    r"\barxiv(?:\.org/abs/|\s*[:#]\s*|\s+(?:paper|preprint|id|number)?\s*)"
    r"(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)\b",
    re.IGNORECASE,
)
# A DOI: its "10." prefix and registrant code make it telling even without "DOI" before it.
_DOI = re.compile(r"\b(?:doi\s*:?\s*)?(?P<id>10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"’”"


@dataclass(frozen=True)
class FoundIdentifier:
    """A standard id found in text, with the span it was written in."""

    id: str
    start: int
    end: int


def find_identifiers(text: str) -> Iterator[FoundIdentifier]:
    """The arXiv ids and DOIs written in a text, as standard ids."""
    lowered = text.lower()
    for pattern, scheme, needed in ((_ARXIV, "arXiv", "arxiv"), (_DOI, "doi", "10.")):
        if needed not in lowered:  # most transcripts say neither: no slow scan for them
            continue
        for match in pattern.finditer(text):
            value = match.group("id").rstrip(_TRAILING)
            found = identify(f"{scheme}:{value}")
            if found.id:
                end = match.start("id") + len(value)
                yield FoundIdentifier(found.id, match.start(), end)
