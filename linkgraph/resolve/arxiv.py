"""arXiv: the export API's Atom answer, up to 100 ids per request, one entry per work.

One ``GET {arxiv_url}?id_list=A,B&start=0&max_results=N`` through ``Http.fetch`` (our
cache, retries, guard, size caps and arXiv's 3-second interval); with ``id_list`` every
entry comes on that one page. The answer must be a whole, well-formed Atom feed (lxml,
entities off), then feedparser reads it, the way the ``arxiv`` package does, and each entry
becomes metadata on its own: an entry with a malformed date or without its id fails only
its own work, never the batch. An id the answer has no entry for fails that work alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import feedparser
from lxml import etree

from ..config import Config
from ..identify import identify
from ..net.http import API_MAX_BYTES, XML_TYPES, Http
from .base import Metadata, ResolveError, Resolver, Results, Target, clean, names, serves

_ATOM = "{http://www.w3.org/2005/Atom}feed"
_ERROR_ID = "/api/errors"


def check_atom(content: bytes) -> None:
    """Raise ResolveError unless ``content`` is a whole, well-formed Atom feed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ResolveError(f"malformed or truncated XML from arXiv: {error}") from None
    if root is None or root.tag != _ATOM:
        raise ResolveError("arXiv did not answer with an Atom feed")


def _key(entry: Any) -> str | None:
    """The standard id an entry is about, or None (an error entry, or no usable id)."""
    entry_id = clean(entry.get("id"))
    if not entry_id or _ERROR_ID in entry_id:
        return None
    return identify(entry_id).id if identify(entry_id).scheme == "arxiv" else None


def _date(entry: Any) -> str:
    """The first version's date; ResolveError when the entry has none or a malformed one."""
    written = clean(entry.get("published"))
    try:
        return datetime.fromisoformat((written or "").replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise ResolveError(f"arXiv's entry has a malformed date: {written!r}") from None


def metadata(entry: Any) -> Metadata:
    """Our metadata from one entry of the answer (a feedparser entry)."""
    found = identify(clean(entry.get("id")) or "")
    primary = (entry.get("arxiv_primary_category") or {}).get("term")
    categories = [primary, *(tag.get("term") for tag in entry.get("tags") or [])]
    journal_ref = clean(entry.get("arxiv_journal_ref"))
    doi = clean(entry.get("arxiv_doi"))
    meta = Metadata(
        origin="arxiv",
        title=clean(entry.get("title")),
        authors=names(author.get("name") for author in entry.get("authors") or []),
        published=_date(entry),
        abstract=clean(entry.get("summary")),
        venue=journal_ref or "arXiv",
        url=found.canonical_url,
        kind="paper",
        subjects=[("arxiv", c) for c in dict.fromkeys(categories) if c],
        identifiers=[f"doi:{doi}"] if doi else [],
        extra={"arxiv_version": found.version, "comment": clean(entry.get("arxiv_comment"))},
    )
    if not journal_ref:
        meta.field_origins["venue"] = "arxiv:preprint"
    if not meta.title:
        meta.partial = "arXiv's entry has no title"
    return meta


def fetch(http: Http, config: Config, targets: list[Target]) -> Results:
    """Look up one batch of arXiv ids in one request; each entry stands or fails alone."""
    query = {"id_list": ",".join(t.value for t in targets), "start": 0}
    query["max_results"] = len(targets)
    try:
        response = http.fetch(
            f"{config.arxiv_url}?{urlencode(query)}", max_bytes=API_MAX_BYTES, accept=XML_TYPES
        )
        check_atom(response.content)
        entries = feedparser.parse(response.content).entries
    except Exception as error:  # the request or the feed failed: every id in it fails
        return {t.key: error for t in targets}
    results: Results = {}
    for entry in entries:
        key = _key(entry)
        if key is None or key in results:
            continue
        try:
            results[key] = metadata(entry)
        except Exception as error:  # one malformed entry fails its own work
            results[key] = error
    return {
        t.key: results.get(t.key, ResolveError(f"arXiv has no entry for {t.key}")) for t in targets
    }


RESOLVER = Resolver(name="arxiv", accepts=serves("arxiv"), fetch=fetch, batch_setting="arxiv_batch")
