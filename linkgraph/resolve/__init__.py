"""Resolve: fill the works in a store with metadata from the resolver that knows each best.

Works are chosen by status (pending, and failed or partial ones whose back-off has passed),
routed to a resolver by their identifiers (arXiv, Crossref, OpenReview, oEmbed, GitHub,
Wikipedia, else the web page itself), fetched in batches where the API allows and on a
worker pool otherwise, and written back one work per transaction by this thread alone.
A resolver that does not know a work passes it to the next one (Crossref -> DataCite -> the
DOI's page); a scholarly API's "not found" is kept on the work, so that API is not asked
again for that id. A page that reveals an arXiv id or a DOI is looked up in that API in a
following round.
"""

from __future__ import annotations

import json
import queue
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config, cache_path_for, load_config
from ..identify import PREFIXES, identify
from ..net.http import Cancelled, Http, HTTPStatusError, NetworkDown, tagged
from ..store import Store, now_iso
from . import arxiv, crossref, datacite, github, oembed, openreview, shortdoi, webpage, wikipedia
from .apply import (
    API_FOR_SCHEME,
    SCHOLARLY_APIS,
    api_resolved,
    apply_metadata,
    record_failure,
    record_not_found,
    settle,
    work_of,
)
from .base import Metadata, NotFound, Resolver, Target
from .merge import TitleIndex

REGISTRY: dict[str, Resolver] = {
    r.name: r
    for r in (
        arxiv.RESOLVER,
        shortdoi.RESOLVER,
        crossref.RESOLVER,
        datacite.RESOLVER,
        openreview.RESOLVER,
        oembed.RESOLVER,
        github.RESOLVER,
        wikipedia.RESOLVER,
        webpage.RESOLVER,
    )
}
RESOLVERS = tuple(REGISTRY)
_SCHEME_ORDER = (*PREFIXES, "url")
_PASS_ON_STATUSES = {400, 401, 403, 404, 410}
_MAX_ROUNDS = 3
_SELECT_CHUNK = 500  # works whose identifiers are read at once


@dataclass
class Options:
    """What the user asked of one run."""

    refresh: bool = False  # resolve resolved works again, revalidating the HTTP cache
    retry_failed: bool = False  # retry failed and partial works before their back-off ends
    offline: bool = False
    resolver: str | None = None  # only this resolver
    limit: int | None = None  # at most this many works


@dataclass
class ResolverCounts:
    """What one resolver did in a run."""

    works: int = 0
    resolved: int = 0
    partial: int = 0
    failed: int = 0
    passed_on: int = 0  # handed to the next resolver
    not_found: int = 0  # unknown to the resolver, with nothing left to ask: kept as they were
    requests: int = 0
    cached: int = 0

    @property
    def pending(self) -> int:
        """Works given to the resolver and not answered (interrupted, or no network)."""
        answered = self.resolved + self.partial + self.failed + self.passed_on + self.not_found
        return max(0, self.works - answered)


@dataclass
class Summary:
    """The outcome of a run, for people (a table) and scripts (``--json``)."""

    offline: bool = False
    network: bool = True
    works: int = 0
    resolved: int = 0
    partial: int = 0
    failed: int = 0
    pending: int = 0
    merged: int = 0
    requests: int = 0
    cached: int = 0
    seconds: float = 0.0
    resolvers: dict[str, ResolverCounts] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        """The documented JSON shape of ``resolve --json``."""
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        failures, _ = data.pop("failures"), data.pop("resolvers")
        data["sources"] = {  # each resolver's counts, under the shape's stable name
            name: {**asdict(counts), "pending": counts.pending}
            for name, counts in self.resolvers.items()
        }
        data["failures"] = failures
        return data


Progress = Callable[[str, ResolverCounts], None]


def resolvers_for(target: Target) -> list[str]:
    """The names of the resolvers to ask about a target, in order."""
    return [name for name, resolver in REGISTRY.items() if resolver.accepts(target)]


def _targets(store: Store, works: list[dict]) -> list[Target | None]:
    """Each work's target: its best identifier and, for a URL, the URL as first written."""
    ids: dict[int, list[tuple[str, str]]] = {}
    for work_id, scheme, value in store.conn.execute(
        "SELECT work_id, scheme, value FROM identifiers WHERE work_id IN "
        "(SELECT value FROM json_each(?)) ORDER BY work_id, id",
        (json.dumps([w["id"] for w in works]),),
    ):
        ids.setdefault(work_id, []).append((scheme, value))
    best = {work_id: min(found, key=_scheme_rank) for work_id, found in ids.items()}
    written = _first_written(store, [w for w, (scheme, _) in best.items() if scheme == "url"])
    return [_target(work, best.get(work["id"]), written.get(work["id"])) for work in works]


def _scheme_rank(identifier: tuple[str, str]) -> int:
    scheme = identifier[0]
    return _SCHEME_ORDER.index(scheme) if scheme in _SCHEME_ORDER else len(_SCHEME_ORDER)


def _first_written(store: Store, work_ids: list[int]) -> dict[int, str]:
    """The URL of each work's first mention, as the episode wrote it."""
    found: dict[int, str] = {}
    for work_id, url in store.conn.execute(
        "SELECT l.work_id, m.url FROM mentions m JOIN links l ON l.id = m.link_id "
        "WHERE l.work_id IN (SELECT value FROM json_each(?)) ORDER BY m.id",
        (json.dumps(work_ids),),
    ):
        found.setdefault(work_id, url)
    return found


def _target(work: dict, best: tuple[str, str] | None, written: str | None) -> Target | None:
    if best is None:
        return None
    scheme, value = best
    url: str | None
    if scheme == "url":
        url = (written or value).split("#", 1)[0]
    else:
        url = work["url"] or identify(f"{scheme}:{value}").canonical_url
    return Target(scheme, value, url, work["kind"] or "site")


def works_to_resolve(store: Store, options: Options) -> list[Target]:
    """The works this run should resolve, as targets.

    Read in one snapshot: a work another process merges meanwhile is seen whole, before or
    after, never with its identifiers read before the merge and its mentions after (which
    made a URL target fall back from the URL as written to its canonical https form)."""
    with store.snapshot():
        return _works_to_resolve(store, options)


def _works_to_resolve(store: Store, options: Options) -> list[Target]:
    rows = store.query(
        "SELECT id, kind, url FROM works WHERE status = 'pending' OR ? OR "
        "(status IN ('failed', 'partial') AND (? OR next_attempt_at IS NULL "
        " OR next_attempt_at <= ?)) ORDER BY id",
        (options.refresh, options.retry_failed, now_iso()),
    )
    targets = []
    for start in range(0, len(rows), _SELECT_CHUNK):
        for target in _targets(store, rows[start : start + _SELECT_CHUNK]):
            if target and (
                options.resolver is None or options.resolver in resolvers_for(target)[:1]
            ):
                targets.append(target)
            if options.limit is not None and len(targets) >= options.limit:
                return targets
    return targets


def _interleaved(items: list[tuple[Resolver, Target]]) -> list[tuple[Resolver, Target]]:
    """Round-robin over hosts, so the workers spread over hosts instead of queueing on one."""
    groups: dict[str, list[tuple[Resolver, Target]]] = defaultdict(list)
    for resolver, target in items:
        groups[resolver.name if resolver.name != "webpage" else target.host].append(
            (resolver, target)
        )
    ordered: list[tuple[Resolver, Target]] = []
    lists = list(groups.values())
    for index in range(max((len(g) for g in lists), default=0)):
        ordered.extend(g[index] for g in lists if index < len(g))
    return ordered


class _Run:
    """One resolve run: rounds of fetching, applying each answer as it arrives."""

    def __init__(
        self, store: Store, config: Config, http: Http, options: Options, progress: Progress | None
    ):
        self.store, self.config, self.http, self.options = store, config, http, options
        self.progress = progress or (lambda resolver, counts: None)
        self.summary = Summary()
        self.attempted: set[tuple[str, str]] = set()
        self.held: list[tuple[Target, str, str]] = []  # failures that may mean "no network"
        self.next_jobs: dict[str, list[Target]] = defaultdict(list)
        self.titles = TitleIndex(store)

    def counts(self, resolver: str) -> ResolverCounts:
        """The counters of one resolver, created on first use."""
        return self.summary.resolvers.setdefault(resolver, ResolverCounts())

    def plan(self, jobs: dict[str, list[Target]], resolver: str, target: Target) -> None:
        """Give a target to a resolver in the coming round."""
        if (target.key, resolver) in self.attempted:
            return
        if self.options.resolver and resolver != self.options.resolver:
            return
        self.attempted.add((target.key, resolver))
        jobs[resolver].append(target)
        self.counts(resolver).works += 1
        self.progress(resolver, self.counts(resolver))

    def run(self, targets: list[Target]) -> None:
        """Resolve the targets, round after round, until nothing is left to ask."""
        jobs: dict[str, list[Target]] = defaultdict(list)
        for target in targets:
            names = resolvers_for(target)
            if names:
                self.plan(jobs, names[0], target)
        for _ in range(_MAX_ROUNDS):
            if not jobs or self.http.network_down:
                break
            self.round(jobs)
            jobs, self.next_jobs = self.without_answered(self.next_jobs), defaultdict(list)
        if self.held and self.http.responses == 0:
            self.http.network_down = True  # no server answered: nothing to hold against works
        for target, resolver, why in self.held:
            if not self.http.network_down:
                self.fail(resolver, target, why)

    def without_answered(self, jobs: dict[str, list[Target]]) -> dict[str, list[Target]]:
        """Follow-ups whose work an API has answered meanwhile (through a merge) are dropped."""
        kept: dict[str, list[Target]] = defaultdict(list)
        for resolver, targets in jobs.items():
            for target in targets:
                work_id = work_of(self.store, target)
                if resolver in SCHOLARLY_APIS and work_id and api_resolved(self.store, work_id):
                    self.counts(resolver).works -= 1
                else:
                    kept[resolver].append(target)
        return kept

    def round(self, jobs: dict[str, list[Target]]) -> None:
        """Fetch every job of a round; apply answers in this thread as they come."""
        answers: queue.Queue = queue.Queue()
        batched = [name for name in jobs if REGISTRY[name].batched]
        expected = 0
        fetchers = ThreadPoolExecutor(self.config.workers, thread_name_prefix="linkgraph-fetch")
        batchers = ThreadPoolExecutor(max(1, len(batched)), thread_name_prefix="linkgraph-batch")
        try:
            for name in batched:
                resolver = REGISTRY[name]
                size = resolver.batch_size(self.config)
                chunks = [jobs[name][i : i + size] for i in range(0, len(jobs[name]), size)]
                expected += len(chunks)
                batchers.submit(self._batches, resolver, chunks, answers)
            singles = _interleaved(
                [(REGISTRY[name], t) for name in jobs if name not in batched for t in jobs[name]]
            )
            for resolver, target in singles:
                fetchers.submit(self._fetch, resolver, [target], answers)
            expected += len(singles)
            for _ in range(expected):
                resolver, batch, results = answers.get()
                for target in batch:
                    self.handle(resolver, target, results.get(target.key))
        except BaseException:
            self.http.cancel.set()
            raise
        finally:
            fetchers.shutdown(wait=True, cancel_futures=True)
            batchers.shutdown(wait=True, cancel_futures=True)

    def _batches(
        self, resolver: Resolver, chunks: list[list[Target]], answers: queue.Queue
    ) -> None:
        for chunk in chunks:
            self._fetch(resolver, chunk, answers)

    def _fetch(self, resolver: Resolver, targets: list[Target], answers: queue.Queue) -> None:
        if self.http.cancel.is_set():
            answers.put((resolver, targets, {t.key: Cancelled("interrupted") for t in targets}))
            return
        with tagged(resolver.name):
            try:
                results = resolver.fetch(self.http, self.config, targets)
            except BaseException as error:  # a bug in a resolver fails its targets, not the run
                results = {t.key: error for t in targets}
        answers.put((resolver, targets, results))

    def handle(self, resolver: Resolver, target: Target, outcome: Any) -> None:
        """Apply one answer: store metadata, pass the target on, or count the failure."""
        counts = self.counts(resolver.name)
        if isinstance(outcome, Metadata):
            try:
                applied = apply_metadata(self.store, target, outcome, self.config, self.titles)
            except Exception as error:  # an answer that cannot be stored fails its work alone
                self.fail(resolver.name, target, f"cannot be stored: {_reason(error)}")
                return
            self.summary.merged += applied.merged
            if applied.status in ("resolved", "partial"):
                setattr(counts, applied.status, getattr(counts, applied.status) + 1)
            for standard in applied.followups:
                scheme, value = standard.split(":", 1)
                self.plan(
                    self.next_jobs,
                    API_FOR_SCHEME[scheme],
                    Target(scheme, value, identify(standard).canonical_url, "paper"),
                )
        elif isinstance(outcome, Cancelled):
            pass
        elif isinstance(outcome, NetworkDown):
            self.held.append((target, resolver.name, str(outcome)))
        elif self._passes_on(outcome) and self._not_known(resolver, target, outcome):
            pass
        else:
            self.fail(resolver.name, target, _reason(outcome))
            return
        self.progress(resolver.name, counts)

    def _not_known(self, resolver: Resolver, target: Target, outcome: Any) -> bool:
        """Hand on a target the resolver does not know; False when that leaves it failed.

        A scholarly API's "not found" is kept on the work. The work's own page is not read
        twice: a work whose page has given fields is resolved from them when no other
        resolver is left.
        """
        following = self._next_source(resolver, target)
        absent = isinstance(outcome, NotFound) or getattr(outcome, "status", None) in (404, 410)
        if resolver.name in SCHOLARLY_APIS and absent:
            unknown = record_not_found(self.store, target, resolver.name)
            if unknown.page_read and following == webpage.RESOLVER.name:
                following = None
            if following is None and unknown.has_fields:
                settle(self.store, target)
                self.counts(resolver.name).not_found += 1
                return True
        if following is None:
            return False
        self.counts(resolver.name).passed_on += 1
        self.plan(self.next_jobs, following, target)
        return True

    def fail(self, resolver: str, target: Target, why: str) -> None:
        """Record a resolver's failed attempt at a target, count it and report progress."""
        reason = f"{resolver}: {why}"
        record_failure(self.store, target, reason, self.config)
        self.counts(resolver).failed += 1
        self.summary.failures.append({"id": target.key, "url": target.url, "error": reason})
        self.progress(resolver, self.counts(resolver))

    @staticmethod
    def _passes_on(outcome: Any) -> bool:
        return isinstance(outcome, NotFound) or (
            isinstance(outcome, HTTPStatusError) and outcome.status in _PASS_ON_STATUSES
        )

    def _next_source(self, resolver: Resolver, target: Target) -> str | None:
        names = resolvers_for(target)
        later = names[names.index(resolver.name) + 1 :] if resolver.name in names else []
        return next((s for s in later if (target.key, s) not in self.attempted), None)

    def finish(self, targets: list[Target]) -> None:
        """Count the final status of every work the run was given."""
        statuses = _statuses(self.store, targets)
        summary = self.summary
        summary.works = len(statuses)
        for status in ("resolved", "partial", "failed", "pending"):
            setattr(summary, status, statuses.count(status))
        summary.network = not self.http.network_down
        for name, counts in summary.resolvers.items():
            counts.requests = self.http.stats.sent[name]
            counts.cached = self.http.stats.cached[name]
        summary.requests = sum(self.http.stats.sent.values())
        summary.cached = sum(self.http.stats.cached.values())


def _statuses(store: Store, targets: list[Target]) -> list[str]:
    """The status of each work that holds one of the targets' identifiers now."""
    keys = json.dumps([[t.scheme, t.value] for t in targets])
    return [
        status
        for (status,) in store.conn.execute(
            "SELECT status FROM works WHERE id IN (SELECT i.work_id FROM identifiers i JOIN "
            "json_each(?) j ON i.scheme = json_extract(j.value, '$[0]') "
            "AND i.value = json_extract(j.value, '$[1]'))",
            (keys,),
        )
    ]


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return (
        text
        if not type(error).__module__.startswith("builtins")
        else f"{type(error).__name__}: {text}"
    )


def resolve(
    store: Store,
    config: Config | None = None,
    options: Options | None = None,
    progress: Progress | None = None,
    http: Http | None = None,
) -> Summary:
    """Resolve the works of a store; return what happened. Safe to interrupt and run again."""
    started = time.monotonic()
    options = options or Options()
    config = config or load_config(store.path)
    targets = works_to_resolve(store, options)
    if options.offline:
        return Summary(offline=True, works=len(targets), pending=len(targets))
    own = http is None
    http = http or Http(
        config,
        cache_path_for(config, None if store.path == ":memory:" else Path(store.path)),
        refresh=options.refresh,
    )
    try:
        run = _Run(store, config, http, options, progress)
        run.run(targets)
        run.finish(targets)
    finally:
        if own:
            http.close()
    run.summary.seconds = time.monotonic() - started
    return run.summary


__all__ = [
    "Options",
    "REGISTRY",
    "RESOLVERS",
    "ResolverCounts",
    "Summary",
    "resolve",
    "resolvers_for",
    "works_to_resolve",
]
