"""Finding the works each stored transcript speaks of, and keeping them as spoken mentions.

For every episode with a transcript: its spoken mentions are found again from what the
store knows now and replace the ones it had, so running twice gives the same store. The
works the episode's own links name are looked for first, at the lower threshold, and give
those links the time and speaker of the first place the transcript discusses them; the
links of a transcript page take the speaker of the words they stand in, and are no spoken
mention there themselves.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..identify import identify
from ..model import Segment
from ..schema import index_new_rows
from ..store import Store
from ..transcripts.speakers import parse_lead
from .catalog import SpokenCounts, entity_names, known_works, speakers
from .matcher import DISCOVERY_THRESHOLD, LINKED_THRESHOLD, SpokenMatcher, SpokenReference


@dataclass
class SpokenReport:
    """What finding spoken citations did for one episode."""

    episode_id: int
    episode: str
    segments: int = 0
    mentions: int = 0  # spoken mentions stored
    timed: int = 0  # of its links, those given where their work is discussed (a page: their own)


def find_spoken(
    store: Store,
    episode_ids: Iterable[int] | None = None,
    *,
    linked_threshold: float = LINKED_THRESHOLD,
    discovery_threshold: float = DISCOVERY_THRESHOLD,
    on_done: Callable[[SpokenReport], None] | None = None,
) -> list[SpokenReport]:
    """Find again the spoken citations of these episodes (of every episode with a transcript
    when None), one transaction per episode."""
    wanted = _with_transcripts(store, episode_ids)
    if not wanted:
        return []
    matcher = SpokenMatcher(known_works(store), [*entity_names(store), *speakers(store)])
    matcher.set_spoken(SpokenCounts(store))
    reports = []
    for episode_id, title in wanted:
        report = _find_in(store, matcher, episode_id, title, linked_threshold, discovery_threshold)
        reports.append(report)
        if on_done:
            on_done(report)
    return reports


def _with_transcripts(store: Store, episode_ids: Iterable[int] | None) -> list[tuple[int, str]]:
    rows = store.conn.execute(
        "SELECT e.id, e.title FROM episodes e WHERE EXISTS "
        "(SELECT 1 FROM segments s WHERE s.episode_id = e.id) ORDER BY e.id"
    ).fetchall()
    if episode_ids is None:
        return [(row[0], row[1]) for row in rows]
    chosen = set(episode_ids)
    return [(row[0], row[1]) for row in rows if row[0] in chosen]


def _find_in(
    store: Store,
    matcher: SpokenMatcher,
    episode_id: int,
    title: str,
    linked_threshold: float,
    discovery_threshold: float,
) -> SpokenReport:
    rows = store.conn.execute(
        "SELECT id, text, start_seconds, end_seconds, speaker, topic FROM segments "
        "WHERE episode_id = ? ORDER BY position",
        (episode_id,),
    ).fetchall()
    segment_ids = [row[0] for row in rows]
    segments = [Segment(row[1], row[2], row[3], row[4], row[5]) for row in rows]
    contexts: dict[int, list[str]] = {}  # each linked work -> the sentences linking it
    for work_id, context in store.conn.execute(
        "SELECT l.work_id, m.context FROM mentions m JOIN links l ON l.id = m.link_id "
        "WHERE m.episode_id = ? AND m.via IS NOT 'spoken' AND l.work_id IS NOT NULL",
        (episode_id,),
    ):
        contexts.setdefault(work_id, []).append(_sentence(context or ""))
    linked = set(contexts)
    page = store.scalar(  # the transcript is the page the links stand in
        "SELECT 1 FROM transcripts t JOIN episodes e ON e.id = t.episode_id WHERE e.id = ? "
        "AND t.status = 'read' AND t.source = e.source",
        (episode_id,),
    )
    found = matcher.find(segments, linked, linked_threshold, discovery_threshold, title)
    report = SpokenReport(episode_id, title, len(segments))
    with store.transaction():
        store.forget_spoken(episode_id)
        topics = _Topics(store, episode_id)
        position = 1 + (
            store.scalar("SELECT max(position) FROM mentions WHERE episode_id = ?", (episode_id,))
            or 0
        )
        if page:
            report.timed = _place_links(store, episode_id, segments, segment_ids)
        timed: set[int | None] = set()
        stored = 0
        for reference in found:
            segment_id = segment_ids[reference.segment]
            work_id = reference.work_id
            if not page and work_id in linked and work_id not in timed:
                timed.add(work_id)
                report.timed += store.conn.execute(
                    "UPDATE mentions SET said_at = ?, speaker = ?, segment_id = ? "
                    "WHERE episode_id = ? AND via IS NOT 'spoken' AND link_id IN "
                    "(SELECT id FROM links WHERE work_id = ?)",
                    (reference.start, reference.speaker, segment_id, episode_id, work_id),
                ).rowcount
            if page and _is_the_link(reference, contexts, segments):
                continue  # a transcript page's own link: a mention already
            link_id = _link_of(store, reference)
            store.conn.execute(
                "INSERT INTO mentions (episode_id, topic_id, link_id, url, anchor_text, context,"
                " position, boilerplate, via, confidence, matched, speaker, said_at, segment_id)"
                " VALUES (?, ?, ?, (SELECT url_canonical FROM links WHERE id = ?), ?, ?, ?, 0,"
                " 'spoken', ?, ?, ?, ?, ?)",
                (
                    episode_id,
                    topics.of(reference),
                    link_id,
                    link_id,
                    reference.matched,
                    reference.sentence,
                    position + stored,
                    reference.confidence,
                    reference.matched,
                    reference.speaker,
                    reference.start,
                    segment_id,
                ),
            )
            stored += 1
        index_new_rows(store.conn, "mentions", "episode_id = ? AND via = 'spoken'", (episode_id,))
        report.mentions = stored
    return report


def _place_links(
    store: Store, episode_id: int, segments: list[Segment], segment_ids: list[int]
) -> int:
    """Give each link of a transcript page the speaker (and time) of the segment it stands
    in; returns how many were placed."""
    texts = [" ".join(segment.text.split()) for segment in segments]
    placed, cursor = [], 0
    for mention_id, context in store.conn.execute(
        "SELECT id, context FROM mentions WHERE episode_id = ? AND via IS NOT 'spoken' "
        "ORDER BY position",
        (episode_id,),
    ).fetchall():
        sentence = _sentence(context or "")
        for index in [*range(cursor, len(texts)), *range(cursor)]:
            if sentence and sentence in texts[index]:
                cursor = index
                said = segments[index]
                placed.append((said.start, said.speaker, segment_ids[index], mention_id))
                break
    store.conn.executemany(
        "UPDATE mentions SET said_at = ?, speaker = ?, segment_id = ? WHERE id = ?", placed
    )
    return len(placed)


def _sentence(context: str) -> str:
    """A link's sentence as a transcript page's segment holds it: its longest part when it
    was cut short, without a speaker's name before it."""
    piece = max(" ".join(context.split()).split("…"), key=len).strip()
    return parse_lead(piece).rest or piece


def _is_the_link(
    reference: SpokenReference, contexts: dict[int, list[str]], segments: list[Segment]
) -> bool:
    """Whether a reference is where the page links its work (in the linking sentence)."""
    if reference.work_id is None:
        return False
    text = " ".join(segments[reference.segment].text.split())
    return any(sentence and sentence in text for sentence in contexts.get(reference.work_id, ()))


def _link_of(store: Store, reference: SpokenReference) -> int:
    """The link a spoken mention stands for: its work's own, or one made for an identifier
    said that the store did not know."""
    if reference.work_id is None:
        return store.link_for(identify(reference.identifier or ""))
    link_id = store.scalar(
        "SELECT l.id FROM links l JOIN works w ON w.id = l.work_id WHERE l.work_id = ? "
        "ORDER BY l.url_canonical IS NOT w.url, l.id LIMIT 1",
        (reference.work_id,),
    )
    return int(link_id)


class _Topics:
    """An episode's topics, to place a spoken mention: a transcript page's heading, else the
    chapter its time falls in."""

    def __init__(self, store: Store, episode_id: int):
        rows = store.conn.execute(
            "SELECT id, title, start_seconds FROM topics WHERE episode_id = ? ORDER BY position",
            (episode_id,),
        ).fetchall()
        self._by_title: dict[str, int] = {}
        for topic_id, title, _ in rows:
            self._by_title.setdefault(title, topic_id)
        timed = sorted((row[2], row[0]) for row in rows if row[2] is not None)
        self._starts = [start for start, _ in timed]
        self._timed = [topic_id for _, topic_id in timed]

    def of(self, reference: SpokenReference) -> int | None:
        if reference.topic is not None:
            return self._by_title.get(reference.topic)
        if reference.start is None or not self._starts:
            return None
        index = bisect.bisect_right(self._starts, reference.start) - 1
        return self._timed[index] if index >= 0 else None
