"""The SQLite store: opening it, and every write that keeps episodes, links and works."""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from . import boilerplate, identities, schema
from .config import Config
from .identify import RULES_VERSION
from .model import Episode, Identified, Segment
from .prepared import LinkFacts, PreparedEpisode, facts_of, prepare
from .safetext import storable
from .titles import better_title, is_url_label

BUSY_TIMEOUT_MS = 60_000
CACHE_KIB = 64 * 1024  # SQLite's page cache; its default (2 MiB) is small for large stores


class _Cursor(sqlite3.Cursor):
    """A cursor that binds only storable values (see ``CheckedConnection``)."""

    def execute(self, sql, parameters=()):  # noqa: D102
        return super().execute(sql, _storable(parameters))

    def executemany(self, sql, seq_of_parameters):  # noqa: D102
        return super().executemany(sql, map(_storable, seq_of_parameters))


class CheckedConnection(sqlite3.Connection):
    """The store's boundary: every value bound to a statement passes ``storable`` first.

    Whatever the reader, resolver or command, text enters the store as valid Unicode and a
    float that is not finite enters as NULL, so one poisoned value never fails a write.
    """

    def cursor(self, factory=_Cursor):  # noqa: D102
        return super().cursor(factory)

    def execute(self, sql, parameters=()):  # noqa: D102
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql, seq_of_parameters):  # noqa: D102
        return self.cursor().executemany(sql, seq_of_parameters)


def _storable(parameters):
    if isinstance(parameters, dict):
        return {name: storable(value) for name, value in parameters.items()}
    return tuple(map(storable, parameters))


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def now_exact() -> str:
    """The current UTC time to the microsecond, for the stamps that tell what a run stored
    from what a run before it stored in the same second (``ingested_at``, ``read_at``, and
    the run's start). A stamp to the second sorts before every exact one of its second."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class StoreError(Exception):
    """A store this linkgraph cannot use as asked; the message says why."""


class ReadOnlyStore(StoreError):
    """A write to a store that can only be read."""


class Store:
    """One linkgraph SQLite file: foreign keys on, WAL mode, a generous busy timeout.

    A file this process cannot write (permissions, a read-only file system) is opened
    read-only: queries answer, and ``transaction`` raises ReadOnlyStore. A store written by
    a newer linkgraph (a higher schema version) is refused with StoreError.
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.read_only = self.path != ":memory:" and not _writable(Path(self.path))
        conn = _connect(self.path, self.read_only)
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._pending_people: set[int] = set()  # people who lost a row in this transaction
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"was written by a newer linkgraph (schema version {version}); this linkgraph "
                f"reads schema versions up to {schema.SCHEMA_VERSION}"
            )
        if version < schema.SCHEMA_VERSION or schema.incomplete(self.db):
            if self.read_only and version > 0:
                conn.close()
                raise ReadOnlyStore(
                    f"is read-only and has schema version {version}, which this linkgraph "
                    f"would bring up to version {schema.SCHEMA_VERSION} first"
                )
            with self.transaction():
                schema.create(self.db)
                boilerplate.classify_pending(conn)  # mentions an older store never classified
        if not self.read_only and identities.recorded_rules(conn) < RULES_VERSION:
            self._follow_identify_rules()
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS spoken_scope (threshold REAL)")
        self.show_spoken(Config.spoken_threshold)

    def show_spoken(self, threshold: float | None) -> None:
        """Which spoken mentions this connection's questions and exports include: those of at
        least ``threshold`` confidence; none (links only) when None."""
        self.conn.execute("DELETE FROM temp.spoken_scope")
        self.conn.execute("INSERT INTO temp.spoken_scope (threshold) VALUES (?)", (threshold,))

    def _follow_identify_rules(self) -> None:
        """Identify the links and works of a store written by older identify rules again."""
        with self.transaction() as conn:
            if identities.recorded_rules(conn) >= RULES_VERSION:  # another process did it
                return
            schema.create(self.db)  # the meta table, in a store of this schema made before it
            changed = identities.upgrade(self)
            conn.execute(
                "UPDATE mentions SET boilerplate = NULL WHERE link_id IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(changed),),
            )
            boilerplate.classify_pending(conn)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so writers queue politely.

        Inside another transaction it is a savepoint: a failure undoes its own writes only,
        and the outer transaction commits the rest (a batch of sources written at once).
        """
        if self.read_only:
            raise ReadOnlyStore("is read-only: nothing can be written to it")
        if self.conn.in_transaction:
            yield from self._savepoint()
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._pending_people.clear()
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        pending = set(self._pending_people)
        self.conn.execute("SAVEPOINT nested")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK TO nested")
            self.conn.execute("RELEASE nested")
            self._pending_people = pending
            raise
        self.conn.execute("RELEASE nested")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the store as it was at the first.

        Writers in other processes go on (WAL); a snapshot inside a transaction already
        open is that transaction.
        """
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Run a read query and return the rows as dicts."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: tuple | dict = ()):
        """The first column of the first row of a query, or None."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    # ---- ingest -------------------------------------------------------------------------

    def save_episodes(
        self, episodes: Sequence[Episode | PreparedEpisode], *, classify: bool = True
    ) -> list[str]:
        """Store episodes with their topics and mentions, all in one transaction.

        Returns "added", "updated" or "unchanged" for each. An episode is known again by its
        podcast and key (guid, url or source); an edited one is replaced in place, and the
        works and links it cites are kept with any metadata already resolved for them.
        With ``classify`` the podcasts whose episodes changed have their boilerplate
        classified again in the same transaction; without it, that waits for
        ``classify_boilerplate`` (one pass after many sources is cheaper than one per source).
        Episodes may come prepared (``prepared.prepare``), for instance by a worker process.
        """
        ready = [e if isinstance(e, PreparedEpisode) else prepare(e) for e in episodes]
        with self.transaction():
            outcomes = [self._save_episode(prepared) for prepared in ready]
            if classify:
                boilerplate.classify_pending(self.conn)
            return outcomes

    def classify_boilerplate(self) -> int:
        """Classify the mentions of every podcast with new or changed episodes, in one
        transaction; returns the number of podcasts classified."""
        if not boilerplate.pending_podcasts(self.conn):
            return 0
        with self.transaction():
            return boilerplate.classify_pending(self.conn)

    def _save_episode(self, prepared: PreparedEpisode) -> str:
        conn = self.conn
        episode, digest = prepared.episode, prepared.digest
        podcast_id = self._podcast_id(episode)
        row = conn.execute(
            "SELECT id, source_hash FROM episodes WHERE podcast_id IS ? AND key = ?",
            (podcast_id, episode.key),
        ).fetchone()
        if row and row[1] == digest:
            return "unchanged"
        values = _episode_values(episode, podcast_id, digest)
        if row:
            episode_id = row[0]
            old_links = self._clear_episode(episode_id)
            conn.execute(
                f"UPDATE episodes SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                (*values.values(), episode_id),
            )
        else:
            episode_id = new_row_id(
                conn.execute(
                    f"INSERT INTO episodes ({', '.join(values)}) VALUES "
                    f"({', '.join('?' * len(values))})",
                    tuple(values.values()),
                )
            )
        topic_ids = self._insert_topics(episode_id, episode)
        inserted = self._insert_mentions(episode_id, prepared, topic_ids)
        for table in ("topics", "mentions"):  # all of the episode's rows are new
            schema.index_new_rows(conn, table, "episode_id = ?", (episode_id,))
        self._insert_people(episode_id, episode)
        self._list_transcripts(episode_id, episode)
        if row:
            if not inserted:  # nothing new marks the podcast for classification: unmark
                self._unclassify(podcast_id, old_links)  # the other mentions of its links
            self._drop_orphans(old_links)
            self.drop_orphan_people()
        return "updated" if row else "added"

    def _podcast_id(self, episode: Episode) -> int | None:
        key = episode.feed_url or episode.podcast
        if not key:
            return None
        conn = self.conn
        found = conn.execute("SELECT id FROM podcasts WHERE key = ?", (key,)).fetchone()
        if found:
            conn.execute(
                "UPDATE podcasts SET title = coalesce(?, title), site_url = coalesce(?, site_url)"
                " WHERE id = ?",
                (episode.podcast, episode.podcast_url, found[0]),
            )
            return found[0]
        return new_row_id(
            conn.execute(
                "INSERT INTO podcasts (key, title, feed_url, site_url) VALUES (?, ?, ?, ?)",
                (key, episode.podcast or key, episode.feed_url, episode.podcast_url),
            )
        )

    def _clear_episode(self, episode_id: int) -> list[int]:
        """Delete an episode's mentions (spoken ones too: they are found again after the
        episode is saved), topics and appearances; return the links it used."""
        conn = self.conn
        links = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT link_id FROM mentions WHERE episode_id = ?", (episode_id,)
            )
        ]
        conn.execute("DELETE FROM mentions WHERE episode_id = ?", (episode_id,))
        conn.execute("UPDATE topics SET parent_id = NULL WHERE episode_id = ?", (episode_id,))
        conn.execute("DELETE FROM topics WHERE episode_id = ?", (episode_id,))
        self._pending_people.update(
            r[0]
            for r in conn.execute(
                "SELECT person_id FROM appearances WHERE episode_id = ?", (episode_id,)
            )
        )
        conn.execute("DELETE FROM appearances WHERE episode_id = ?", (episode_id,))
        return links

    def _insert_topics(self, episode_id: int, episode: Episode) -> list[int]:
        ids: list[int] = []
        for position, topic in enumerate(episode.topics):
            parent = (
                ids[topic.parent] if topic.parent is not None and topic.parent < len(ids) else None
            )
            row = (episode_id, topic.title, topic.anchor, topic.start_seconds, position)
            inserted = self.conn.execute(
                "INSERT INTO topics (episode_id, title, anchor, start_seconds, position, level,"
                " parent_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*row, topic.level, parent),
            )
            ids.append(new_row_id(inserted))
        return ids

    def _insert_mentions(
        self, episode_id: int, prepared: PreparedEpisode, topic_ids: list[int]
    ) -> int:
        """Insert an episode's mentions, not yet classified; returns how many."""
        return self.conn.executemany(
            "INSERT INTO mentions (episode_id, topic_id, link_id, url, fragment, anchor_text,"
            " context, section, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self._mention_rows(episode_id, prepared, topic_ids),
        ).rowcount

    def _mention_rows(
        self, episode_id: int, prepared: PreparedEpisode, topic_ids: list[int]
    ) -> Iterator[tuple]:
        """One row per mention with an http(s) URL, made as it is inserted (no list of all)."""
        mentions = prepared.episode.mentions
        for position, (mention, facts) in enumerate(zip(mentions, prepared.links, strict=True)):
            if facts is None:
                continue
            topic_id = topic_ids[mention.topic] if mention.topic is not None else None
            yield (
                episode_id,
                topic_id,
                self._link_id(facts),
                mention.url,
                facts.fragment,
                mention.anchor_text,
                mention.context,
                mention.section,
                position,
            )

    def _list_transcripts(self, episode_id: int, episode: Episode) -> None:
        """Remember the transcripts a feed lists for an episode (fetched later, by URL)."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO transcripts (episode_id, url, source, media_type, language,"
            " rel, status, attempts) VALUES (?, ?, ?, ?, ?, ?, 'listed', 0)",
            (
                (episode_id, link.url, link.url, link.type, link.language, link.rel)
                for link in episode.transcripts
            ),
        )

    def _unclassify(self, podcast_id: int | None, link_ids: list[int]) -> None:
        """Mark a podcast's mentions of these links for classification again."""
        self.conn.execute(
            "UPDATE mentions SET boilerplate = NULL WHERE link_id IN "
            "(SELECT value FROM json_each(?)) AND episode_id IN "
            "(SELECT id FROM episodes WHERE podcast_id IS ?)",
            (json.dumps(link_ids), podcast_id),
        )

    def _link_id(self, facts: LinkFacts) -> int:
        """The link row for a canonical URL, created with its work when new."""
        conn = self.conn
        row = conn.execute(
            "SELECT l.id, l.work_id, w.title, w.url, w.status FROM links l "
            "LEFT JOIN works w ON w.id = l.work_id WHERE l.url_canonical = ?",
            (facts.canonical_url,),
        ).fetchone()
        if row:
            link_id, work_id, *work = row
            if work_id is None:
                conn.execute(
                    "UPDATE links SET work_id = ? WHERE id = ?", (self._work_id(facts), link_id)
                )
            else:
                self._improve_title(work_id, facts, *work)
            return link_id
        return new_row_id(
            conn.execute(
                "INSERT INTO links (url_canonical, domain, kind, work_id) VALUES (?, ?, ?, ?)",
                (facts.canonical_url, facts.domain, facts.kind, self._work_id(facts)),
            )
        )

    def _work_id(self, facts: LinkFacts) -> int:
        """The work a link names: by its standard id, else by its canonical URL."""
        conn = self.conn
        row = conn.execute(
            "SELECT i.work_id, w.title, w.url, w.status FROM identifiers i "
            "JOIN works w ON w.id = i.work_id WHERE i.scheme = ? AND i.value = ?",
            (facts.scheme, facts.value),
        ).fetchone()
        if row:
            work_id, *work = row
            self._improve_title(work_id, facts, *work)
            return work_id
        work_id = new_row_id(
            conn.execute(
                "INSERT INTO works (kind, title, url, status, attempts, sources, primary_id) "
                "VALUES (?, ?, ?, 'pending', 0, '{}', ?)",
                (
                    facts.kind,
                    facts.title or facts.label,
                    facts.canonical_url,
                    f"{facts.scheme}:{facts.value}",
                ),
            )
        )
        conn.execute(
            "INSERT INTO identifiers (work_id, scheme, value) VALUES (?, ?, ?)",
            (work_id, facts.scheme, facts.value),
        )
        return work_id

    def _improve_title(
        self, work_id: int, facts: LinkFacts, title: str | None, work_url: str | None, status: str
    ) -> None:
        """Give a never-resolved work (its ``title``, ``work_url`` and ``status`` as stored)
        the most complete anchor title seen so far."""
        candidate = facts.title
        if not candidate or status != "pending" or candidate == title:
            return
        is_label = title is None or (work_url is not None and is_url_label(title, work_url))
        if better_title(candidate, title, is_label):
            self.conn.execute("UPDATE works SET title = ? WHERE id = ?", (candidate, work_id))

    def link_for(self, found: Identified, anchor_text: str = "") -> int:
        """The link row for what ``found`` identifies, created with its work when new."""
        facts = facts_of(found, anchor_text)
        if facts is None:
            raise ValueError(f"{found.input!r} has no canonical URL")
        return self._link_id(facts)

    # ---- transcripts --------------------------------------------------------------------

    def episode_id(self, episode: Episode) -> int | None:
        """The id of a stored episode, known by its podcast and key."""
        key = episode.feed_url or episode.podcast
        podcast_id = self.scalar("SELECT id FROM podcasts WHERE key = ?", (key,)) if key else None
        return self.scalar(
            "SELECT id FROM episodes WHERE podcast_id IS ? AND key = ?", (podcast_id, episode.key)
        )

    def save_transcript(
        self, episode_id: int, segments: list[Segment], source: str, fmt: str, digest: str
    ) -> bool:
        """Store a transcript as the episode's segments, replacing those it had; call inside a
        transaction. ``digest`` is the SHA-256 of its bytes. Returns False when the same
        transcript was stored already.

        The episode's spoken mentions go with its old segments: find them again afterwards.
        """
        conn = self.conn
        row = conn.execute(
            "SELECT id, content_hash, status FROM transcripts WHERE episode_id = ? AND source = ?",
            (episode_id, source),
        ).fetchone()
        if row and row[1] == digest and row[2] == "read":
            return False
        if row:
            transcript_id = row[0]
            conn.execute(
                "UPDATE transcripts SET format = ?, status = 'read', error = NULL, read_at = ?,"
                " next_attempt_at = NULL, content_hash = ?, attempts = attempts + 1 WHERE id = ?",
                (fmt, now_exact(), digest, transcript_id),
            )
        else:
            transcript_id = new_row_id(
                conn.execute(
                    "INSERT INTO transcripts (episode_id, source, format, status, attempts,"
                    " read_at, content_hash) VALUES (?, ?, ?, 'read', 1, ?, ?)",
                    (episode_id, source, fmt, now_exact(), digest),
                )
            )
        self.forget_spoken(episode_id)
        conn.execute("DELETE FROM segments WHERE episode_id = ?", (episode_id,))
        conn.executemany(
            "INSERT INTO segments (transcript_id, episode_id, position, start_seconds,"
            " end_seconds, speaker, topic, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (transcript_id, episode_id, position, s.start, s.end, s.speaker, s.topic, s.text)
                for position, s in enumerate(segments)
            ),
        )
        schema.index_new_rows(conn, "segments", "episode_id = ?", (episode_id,))
        return True

    def transcript_failed(self, transcript_id: int, error: str, retry_at: str) -> None:
        """Record a failed fetch of a listed transcript; it is tried again after ``retry_at``."""
        self.conn.execute(
            "UPDATE transcripts SET status = 'failed', error = ?, attempts = attempts + 1,"
            " next_attempt_at = ? WHERE id = ?",
            (error, retry_at, transcript_id),
        )

    def forget_spoken(self, episode_id: int) -> None:
        """Delete an episode's spoken mentions, and what they alone kept (a link made for an
        identifier said), and the times its links had from them; inside a transaction."""
        conn = self.conn
        links = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT link_id FROM mentions WHERE episode_id = ? AND via = 'spoken'",
                (episode_id,),
            )
        ]
        conn.execute("DELETE FROM mentions WHERE episode_id = ? AND via = 'spoken'", (episode_id,))
        conn.execute(
            "UPDATE mentions SET said_at = NULL, speaker = NULL, segment_id = NULL "
            "WHERE episode_id = ? AND segment_id IS NOT NULL",
            (episode_id,),
        )
        self._drop_orphans(links)

    def _insert_people(self, episode_id: int, episode: Episode) -> None:
        for person in episode.people:
            person_id = self.person_id(person.name, person.url)
            self.conn.execute(
                "INSERT OR IGNORE INTO appearances (episode_id, person_id, role) VALUES (?, ?, ?)",
                (episode_id, person_id, person.role),
            )

    def person_id(self, name: str, url: str | None = None) -> int:
        """The id of a person, created when new; people are matched by normalized name."""
        normalized = normalize_name(name)
        row = self.conn.execute(
            "SELECT id FROM people WHERE normalized = ?", (normalized,)
        ).fetchone()
        if row:
            if url:
                self.conn.execute(
                    "UPDATE people SET url = coalesce(url, ?) WHERE id = ?", (url, row[0])
                )
            return row[0]
        return new_row_id(
            self.conn.execute(
                "INSERT INTO people (name, normalized, url) VALUES (?, ?, ?)",
                (name, normalized, url),
            )
        )

    def _drop_orphans(self, link_ids: list[int]) -> None:
        """Remove those links no mention uses any more, and never-resolved works left unlinked.

        Only the given links (an edited episode's old ones) are looked at, through indexes,
        so an edit costs the same in a small store and a large one.
        """
        conn = self.conn
        ids = json.dumps(link_ids)
        works = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT work_id FROM links WHERE work_id IS NOT NULL "
                "AND id IN (SELECT value FROM json_each(?))",
                (ids,),
            )
        ]
        conn.execute(
            "DELETE FROM links WHERE id IN (SELECT value FROM json_each(?)) "
            "AND NOT EXISTS (SELECT 1 FROM mentions WHERE link_id = links.id)",
            (ids,),
        )
        for work_id in works:
            if conn.execute(
                "SELECT 1 FROM works WHERE id = ? AND status = 'pending' AND "
                "attempts = 0 AND NOT EXISTS (SELECT 1 FROM links WHERE work_id = ?)",
                (work_id, work_id),
            ).fetchone():
                self.delete_work(work_id)

    def forget_authors(self, work_id: int) -> None:
        """Delete a work's authorships; people left with no work and no episode go at the
        next ``drop_orphan_people`` (in the same transaction)."""
        self._pending_people.update(
            r[0]
            for r in self.conn.execute(
                "SELECT person_id FROM authorships WHERE work_id = ?", (work_id,)
            )
        )
        self.conn.execute("DELETE FROM authorships WHERE work_id = ?", (work_id,))

    def drop_orphan_people(self) -> None:
        """Delete the people whose last authorship or appearance was deleted in this
        transaction, unless they have gained another meanwhile."""
        if not self._pending_people:
            return
        self.conn.execute(
            "DELETE FROM people WHERE id IN (SELECT value FROM json_each(?)) "
            "AND NOT EXISTS (SELECT 1 FROM authorships WHERE person_id = people.id) "
            "AND NOT EXISTS (SELECT 1 FROM appearances WHERE person_id = people.id)",
            (json.dumps(sorted(self._pending_people)),),
        )
        self._pending_people.clear()

    def delete_work(self, work_id: int) -> None:
        """Delete a work and the rows that belong only to it, its orphaned authors too."""
        conn = self.conn
        self.forget_authors(work_id)
        for table in ("identifiers", "work_subjects"):
            conn.execute(f"DELETE FROM {table} WHERE work_id = ?", (work_id,))
        conn.execute("UPDATE links SET work_id = NULL WHERE work_id = ?", (work_id,))
        conn.execute("DELETE FROM works WHERE id = ?", (work_id,))
        self.drop_orphan_people()

    def merge_works(self, keep: int, drop: int) -> None:
        """Fold work ``drop`` into ``keep``: links, identifiers, authors, subjects move over.

        Fields ``keep`` lacks are taken from ``drop``. Call inside a transaction.
        """
        if keep == drop:
            return
        conn = self.conn
        conn.execute("UPDATE links SET work_id = ? WHERE work_id = ?", (keep, drop))
        conn.execute("UPDATE OR IGNORE identifiers SET work_id = ? WHERE work_id = ?", (keep, drop))
        conn.execute(
            "UPDATE OR IGNORE work_subjects SET work_id = ? WHERE work_id = ?", (keep, drop)
        )
        has_authors = conn.execute(
            "SELECT 1 FROM authorships WHERE work_id = ?", (keep,)
        ).fetchone()
        if not has_authors:
            conn.execute("UPDATE authorships SET work_id = ? WHERE work_id = ?", (keep, drop))
        kept = self.query("SELECT * FROM works WHERE id = ?", (keep,))[0]
        dropped = self.query("SELECT * FROM works WHERE id = ?", (drop,))[0]
        fill = {
            k: v
            for k, v in dropped.items()
            if k in ("title", "abstract", "published", "venue", "url") and v and not kept[k]
        }
        sources = {**json.loads(dropped["sources"] or "{}"), **json.loads(kept["sources"] or "{}")}
        fill["sources"] = json.dumps(sources, sort_keys=True)
        if kept["kind"] != "paper" and dropped["kind"] == "paper":
            fill["kind"] = "paper"
        conn.execute(
            f"UPDATE works SET {', '.join(f'{k} = ?' for k in fill)} WHERE id = ?",
            (*fill.values(), keep),
        )
        self.delete_work(drop)


def new_row_id(cursor: sqlite3.Cursor) -> int:
    """The row id an INSERT just made."""
    if cursor.lastrowid is None:
        raise sqlite3.DatabaseError("the INSERT made no row")
    return cursor.lastrowid


def _writable(path: Path) -> bool:
    """True when this process may write the file and make its journal beside it."""
    folder = path.parent
    if path.exists():
        return os.access(path, os.W_OK) and os.access(folder, os.W_OK)
    return os.access(folder, os.W_OK) or not folder.exists()


def _connect(path: str, read_only: bool) -> sqlite3.Connection:
    """A connection with linkgraph's settings; read-only ones neither journal nor migrate.

    A read-only WAL database whose shared-memory file cannot be made (a folder this process
    cannot write) is read as immutable: as it is on disk, since no one can change it.
    """

    def connect(database: str, uri: bool = False) -> sqlite3.Connection:
        return sqlite3.connect(
            database,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            factory=CheckedConnection,
            uri=uri,
        )

    if not read_only:
        conn = connect(path)
        if path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
    else:
        location = Path(path).absolute().as_uri()
        conn = connect(f"{location}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            conn = connect(f"{location}?immutable=1", uri=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return conn


def _episode_values(episode: Episode, podcast_id: int | None, digest: str) -> dict:
    return {
        "podcast_id": podcast_id,
        "key": episode.key,
        "guid": episode.guid,
        "title": episode.title,
        "url": episode.url,
        "published": episode.published,
        "description": episode.description,
        "categories": json.dumps(episode.categories) if episode.categories else None,
        "image": episode.image,
        "chapters_url": episode.chapters_url,
        "audio_url": episode.audio_url,
        "source": episode.source,
        "source_hash": digest,
        "ingested_at": now_exact(),
    }


def normalize_name(name: str) -> str:
    """A person's name folded for matching: no accents, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace(".", " ").lower().split())
