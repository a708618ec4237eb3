"""arXiv: the export API through the ``arxiv`` package, up to 100 ids per request.

arxiv 4.x has no parameter for a session or a base URL: ``Client`` builds its own
``requests.Session`` in ``_session`` and formats URLs with the ``query_url_format``
attribute. We set both on our client instance; the session we give it is a thin adapter
over ``Http.fetch``, so arXiv requests share our cache, retries, guard, size caps and the
per-host interval (3 s for arXiv), and the package's own delay and retries are turned off.
With ``id_list`` every entry comes on the first page; when an unknown id makes the API's
count larger than the entries it sends, the package would ask for a second page that can
only repeat the first, so the adapter answers that request by ending the batch.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import arxiv
from lxml import etree

from ..config import Config
from ..identify import identify
from ..net.http import API_MAX_BYTES, XML_TYPES, Http
from .base import Metadata, ResolveError, Resolver, Results, Target, clean, names, serves

logging.getLogger("arxiv").addHandler(logging.NullHandler())
_ATOM = "{http://www.w3.org/2005/Atom}feed"


class _BatchDone(Exception):
    """The client asked for a page after the first: the batch is complete."""


class _Session:
    """What ``arxiv.Client`` needs of a session (``get``), answered by ``Http.fetch``."""

    def __init__(self, http: Http):
        self.http = http

    def get(self, url: str, headers: dict | None = None) -> object:
        start = parse_qs(urlsplit(url).query).get("start", ["0"])[0]
        if start != "0":
            raise _BatchDone()
        response = self.http.fetch(url, max_bytes=API_MAX_BYTES, accept=XML_TYPES)
        check_atom(response.content)
        return response


def check_atom(content: bytes) -> None:
    """Raise ResolveError unless ``content`` is a whole, well-formed Atom feed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ResolveError(f"malformed or truncated XML from arXiv: {error}") from None
    if root is None or root.tag != _ATOM:
        raise ResolveError("arXiv did not answer with an Atom feed")


def _client(http: Http, config: Config, size: int) -> arxiv.Client:
    client = arxiv.Client(page_size=size, delay_seconds=0.0, num_retries=0)
    client._session = _Session(http)  # no public way to hand arxiv 4.x a session
    client.query_url_format = config.arxiv_url + "?{}"
    return client


def _key(result: arxiv.Result) -> str | None:
    if "/api/errors" in result.entry_id:
        return None
    return identify("arxiv:" + result.get_short_id()).id


def metadata(result: arxiv.Result) -> Metadata:
    """Our metadata from one arXiv entry."""
    categories = (
        [result.primary_category, *result.categories]
        if result.primary_category
        else list(result.categories)
    )
    found = identify("arxiv:" + result.get_short_id())
    meta = Metadata(
        source="arxiv",
        title=clean(result.title),
        authors=names(a.name for a in result.authors),
        published=result.published.date().isoformat() if result.published else None,
        abstract=clean(result.summary),
        venue=clean(result.journal_ref) or "arXiv",
        url=found.canonical_url,
        kind="paper",
        subjects=[("arxiv", c) for c in dict.fromkeys(categories) if c],
        identifiers=[f"doi:{result.doi}"] if result.doi else [],
        extra={"arxiv_version": found.version, "comment": clean(result.comment)},
    )
    if not result.journal_ref:
        meta.field_sources["venue"] = "arxiv:preprint"
    if not meta.title:
        meta.partial = "arXiv's entry has no title"
    return meta


def fetch(http: Http, config: Config, targets: list[Target]) -> Results:
    """Look up one batch of arXiv ids in one request."""
    search = arxiv.Search(id_list=[t.value for t in targets], max_results=len(targets))
    found: dict[str, arxiv.Result] = {}
    try:
        for result in _client(http, config, len(targets)).results(search):
            key = _key(result)
            if key:
                found[key] = result
    except _BatchDone:
        pass
    except arxiv.ArxivError as error:
        return {t.key: ResolveError(f"arXiv: {error.message}") for t in targets}
    except Exception as error:  # fetch and parse errors fail the whole batch, with the reason
        return {t.key: error for t in targets}
    return {
        t.key: metadata(found[t.key])
        if t.key in found
        else ResolveError(f"arXiv has no entry for {t.key}")
        for t in targets
    }


RESOLVER = Resolver(name="arxiv", accepts=serves("arxiv"), fetch=fetch, batch_setting="arxiv_batch")
