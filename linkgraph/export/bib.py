"""References for reference managers: BibTeX and CSL-JSON from the works of a selection.

Both formats are written from one ``Reference`` per work, built from the graph's work
nodes and, when a store is given, the full publication date, venue and abstract.
Support links (Patreon ...) and podcast pages are not references and are left out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..identify import encoded_date
from ..safetext import real_date

NOT_REFERENCES = {"support", "podcast"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_CSL_TYPES = {
    "post": "post-weblog",
    "video": "motion_picture",
    "code": "software",
    "dataset": "dataset",
    "encyclopedia": "entry-encyclopedia",
    "social": "post",
}
_BIB_NOTES = {
    "post": "Blog post",
    "video": "Video",
    "code": "Software",
    "dataset": "Dataset",
    "encyclopedia": "Encyclopedia entry",
    "social": "Social media post",
}
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_PATTERN = re.compile("|".join(re.escape(c) for c in _TEX_SPECIAL))


@dataclass
class Reference:
    """One work as a reference manager sees it."""

    node: str
    kind: str
    title: str | None
    authors: list[str] = field(default_factory=list)
    date: tuple[int, ...] = ()  # (year,), (year, month) or (year, month, day)
    url: str | None = None
    venue: str | None = None
    abstract: str | None = None
    identifiers: list[str] = field(default_factory=list)  # "scheme:value"
    citations: int = 0
    mentions: int = 0

    @property
    def id(self) -> str:
        """The standard id (``arxiv:...``, ``doi:...``), else the node id."""
        named = [i for i in self.identifiers if not i.startswith("url:")]
        return named[0] if named else self.node

    def ids(self, scheme: str) -> list[str]:
        """The values of the identifiers of one scheme."""
        return [i.split(":", 1)[1] for i in self.identifiers if i.split(":", 1)[0] == scheme]

    @property
    def is_preprint(self) -> bool:
        """An arXiv paper with no other venue."""
        return bool(self.ids("arxiv")) and (not self.venue or self.venue.lower() == "arxiv")


def references(graph: nx.DiGraph, store: Any = None) -> list[Reference]:
    """The works of a graph as references, most cited first; store rows add dates and venues."""
    works = [
        (n, d)
        for n, d in graph.nodes(data=True)
        if d.get("kind") == "work" and d.get("work_kind") not in NOT_REFERENCES
    ]
    extra = _work_rows(store, [int(n.split(":", 1)[1]) for n, _ in works]) if store else {}
    refs = []
    for node, data in works:
        row = extra.get(int(node.split(":", 1)[1]), {})
        refs.append(
            Reference(
                node=node,
                kind=data.get("work_kind") or "site",
                title=data.get("title"),
                authors=list(data.get("authors") or []),
                date=parse_date(row.get("published"))
                or parse_date(str(data.get("year") or ""))
                or arxiv_date(data.get("identifiers") or []),
                url=data.get("url"),
                venue=row.get("venue"),
                abstract=row.get("abstract"),
                identifiers=list(data.get("identifiers") or []),
                citations=int(data.get("citations") or 0),
                mentions=int(data.get("mentions") or 0),
            )
        )
    refs.sort(key=lambda r: (-r.citations, -r.mentions, (r.title or "").lower(), r.node))
    return refs


def _work_rows(store: Any, ids: list[int]) -> dict[int, dict]:
    rows: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows.update(
            (r["id"], r)
            for r in store.query(
                f"SELECT id, published, venue, abstract FROM works WHERE id IN "
                f"({', '.join('?' * len(chunk))})",
                tuple(chunk),
            )
        )
    return rows


def parse_date(text: str | None) -> tuple[int, ...]:
    """(year, month, day) as far as an ISO 8601 date gives them; () when it gives none."""
    match = _DATE.match(text or "")
    if not match:
        return ()
    return real_date([int(part) for part in match.groups() if part])


arxiv_date = encoded_date  # (year, month) an arXiv id encodes: arxiv:1706.03762 -> 2017, 6


def split_name(name: str) -> tuple[str | None, str]:
    """(given, family) of a name written "Given Family" or "Family, Given".

    A name with the word "and" in it is an organisation: (None, whole name).
    """
    name = " ".join(name.split())
    if re.search(r"\band\b", name, re.IGNORECASE):
        return None, name
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return given or None, family
    given, _, family = name.rpartition(" ")
    return given or None, family


# ---- CSL-JSON -------------------------------------------------------------------------------


def render_csl_json(graph: nx.DiGraph, store: Any = None) -> str:
    """CSL-JSON: an array of items, as Zotero and citeproc read them."""
    items = [csl_item(ref) for ref in references(graph, store)]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def csl_item(ref: Reference) -> dict:
    """One CSL-JSON item."""
    item: dict[str, Any] = {"id": ref.id, "type": _csl_type(ref)}
    if ref.title:
        item["title"] = ref.title
    if ref.authors:
        item["author"] = [_csl_name(name) for name in ref.authors]
    if ref.date:
        item["issued"] = {"date-parts": [list(ref.date)]}
    for key, value in (
        ("URL", ref.url),
        ("abstract", ref.abstract),
        ("DOI", next(iter(ref.ids("doi")), None)),
    ):
        if value:
            item[key] = value
    if ref.venue and not ref.is_preprint:
        item["container-title"] = ref.venue
    if ref.is_preprint:
        item.update(publisher="arXiv", number=f"arXiv:{ref.ids('arxiv')[0]}")
    item["custom"] = {
        "linkgraph": {
            "node": ref.node,
            "identifiers": ref.identifiers,
            "citing_episodes": ref.citations,
            "mentions": ref.mentions,
        }
    }
    return item


def _csl_type(ref: Reference) -> str:
    if ref.kind == "paper":
        return (
            "article"
            if ref.is_preprint or not (ref.venue or ref.ids("doi"))
            else ("article-journal")
        )
    return _CSL_TYPES.get(ref.kind, "webpage")


def _csl_name(name: str) -> dict:
    given, family = split_name(name)
    return {"family": family, "given": given} if given else {"literal": family}


# ---- BibTeX ---------------------------------------------------------------------------------


def render_bibtex(graph: nx.DiGraph, store: Any = None) -> str:
    """BibTeX entries (UTF-8), special characters escaped, unique ASCII keys."""
    refs = references(graph, store)
    keys = citation_keys(refs)
    return "\n".join(bibtex_entry(ref, key) for ref, key in zip(refs, keys, strict=True))


def bibtex_entry(ref: Reference, key: str) -> str:
    """One BibTeX entry under a given key."""
    entry_type = "article" if ref.kind == "paper" and ref.venue and not ref.is_preprint else "misc"
    fields: list[tuple[str, str]] = []
    if ref.title:
        fields.append(("title", "{" + tex(ref.title) + "}"))  # double braces keep capitals
    if ref.authors:
        fields.append(("author", " and ".join(_bib_name(n) for n in ref.authors)))
    if ref.date:
        fields.append(("year", str(ref.date[0])))
        fields.append(
            ("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(ref.date)))
        )
    if entry_type == "article":
        fields.append(("journal", tex(ref.venue or "")))
    for doi in ref.ids("doi")[:1]:
        fields.append(("doi", bib_url(doi)))
    for arxiv in ref.ids("arxiv")[:1]:
        fields += [("eprint", bib_url(arxiv)), ("archiveprefix", "arXiv")]
    if ref.url:
        fields.append(("url", bib_url(ref.url)))
    note = "; ".join(
        filter(
            None,
            [
                _BIB_NOTES.get(ref.kind),
                ", ".join(
                    i for i in ref.identifiers if i.split(":", 1)[0] not in ("doi", "arxiv", "url")
                ),
            ],
        )
    )
    if note:
        fields.append(("note", tex(note)))
    if ref.abstract:
        fields.append(("abstract", tex(ref.abstract)))
    lines = [f"@{entry_type}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    if ref.date and len(ref.date) > 1:
        lines.append(f"  month = {_MONTHS[ref.date[1] - 1]},")
    return "\n".join(lines) + "\n}\n"


def tex(text: str) -> str:
    """Text with BibTeX/LaTeX special characters escaped and whitespace folded."""
    return _TEX_PATTERN.sub(lambda m: _TEX_SPECIAL[m.group()], " ".join(text.split()))


def bib_url(url: str) -> str:
    """A URL for a verbatim field (url, doi, eprint): braces, backslashes, spaces encoded."""
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C").replace(" ", "%20")


def _bib_name(name: str) -> str:
    given, family = split_name(name)
    if not given:
        return "{" + tex(family) + "}"  # one word, or an organisation: kept whole
    return f"{tex(family)}, {tex(given)}"


def citation_keys(refs: list[Reference]) -> list[str]:
    """Keys like ``ode2018safety`` (family name, year, first long title word), or
    ``attention2017`` without authors; clashes get a, b ... appended."""
    keys: list[str] = []
    used: set[str] = set()
    for ref in refs:
        base = key = _key_base(ref)
        count = 0
        while key in used:
            count += 1
            key = base + _suffix(count)
        used.add(key)
        keys.append(key)
    return keys


def _key_base(ref: Reference) -> str:
    family = _ascii(split_name(ref.authors[0])[1]) if ref.authors else ""
    words = _ascii(ref.title or "").split()
    word = next((w for w in words if len(w) > 3), words[0] if words else "")
    year = str(ref.date[0]) if ref.date else ""
    base = family.replace(" ", "") + year + word if family else word + year
    return base or ref.node.replace(":", "")


def _ascii(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _suffix(count: int) -> str:
    """a, b ... z, aa, ab ..."""
    letters = ""
    while count:
        count, rest = divmod(count - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
