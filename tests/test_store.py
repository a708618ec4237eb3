"""The store: identity of episodes and works, idempotent re-ingest, updates in place."""

from __future__ import annotations

import sqlite3

import pytest

from linkgraph import schema
from linkgraph.model import Episode, Mention, Person, Segment, Topic
from linkgraph.store import Store, normalize_name


def _episode(**overrides) -> Episode:
    episode = Episode(
        title="Episode one",
        source="/notes/one.md",
        url="https://pod.example.org/1",
        podcast="Example Pod",
        topics=[
            Topic("Intro", anchor="intro"),
            Topic("Papers", anchor="papers", level=2, parent=0),
        ],
        mentions=[
            Mention("https://arxiv.org/abs/2303.12642", "Democratizing AI", "We read it.", 1),
            Mention("https://arxiv.org/pdf/2303.12642v2.pdf", "the pdf", "Again.", 1),
            Mention(
                "https://www.example.org/post?utm_source=x#part",
                "A post",
                "See.",
                0,
                section="Links",
            ),
        ],
        people=[Person("Ada Park", "guest")],
    )
    for key, value in overrides.items():
        setattr(episode, key, value)
    return episode


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as opened:
        yield opened


def _count(store: Store, table: str) -> int:
    return store.scalar(f"SELECT count(*) FROM {table}")


def test_schema_has_foreign_keys_wal_and_fts(store):
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.scalar("PRAGMA journal_mode") == "wal"
    fks = {row["table"] for row in store.query("PRAGMA foreign_key_list(mentions)")}
    assert fks == {"episodes", "topics", "links", "segments"}
    assert {"works_fts", "episodes_fts", "topics_fts", "mentions_fts"} <= set(
        store.db.table_names()
    )


def test_one_work_for_every_url_form_of_an_arxiv_id(store):
    assert store.save_episodes([_episode()]) == ["added"]
    works = store.query(
        "SELECT w.id, w.kind, w.title FROM works w JOIN identifiers i "
        "ON i.work_id = w.id WHERE i.scheme = 'arxiv' AND i.value = '2303.12642'"
    )
    assert len(works) == 1
    assert works[0]["kind"] == "paper"
    assert works[0]["title"] == "Democratizing AI"  # from the first informative anchor text
    assert _count(store, "mentions") == 3
    assert _count(store, "links") == 2
    assert _count(store, "works") == 2


def test_mention_keeps_written_url_fragment_topic_and_section(store):
    store.save_episodes([_episode()])
    row = store.query("SELECT * FROM mention_details WHERE anchor_text = 'A post'")[0]
    assert row["url"] == "https://www.example.org/post?utm_source=x#part"
    assert row["url_canonical"] == "https://example.org/post"
    assert row["fragment"] == "part"
    assert row["topic"] == "Intro"
    assert row["section"] == "Links"
    assert row["context"] == "See."
    papers = store.query("SELECT topic FROM mention_details WHERE work_title = 'Democratizing AI'")
    assert {r["topic"] for r in papers} == {"Papers"}


def test_reingest_changes_nothing(store):
    store.save_episodes([_episode()])
    before = {t: _count(store, t) for t in ("episodes", "mentions", "links", "works", "topics")}
    assert store.save_episodes([_episode()]) == ["unchanged"]
    assert {t: _count(store, t) for t in before} == before


def test_edited_episode_is_updated_in_place_and_keeps_resolved_metadata(store):
    store.save_episodes([_episode()])
    episode_id = store.scalar("SELECT id FROM episodes")
    with store.transaction() as conn:
        conn.execute(
            "UPDATE works SET title = 'Resolved title', status = 'resolved' "
            "WHERE id = (SELECT work_id FROM identifiers WHERE scheme = 'arxiv')"
        )
    edited = _episode(title="Episode one (edited)")
    edited.mentions = edited.mentions[:1] + [
        Mention("https://doi.org/10.1145/3442188.3445922", "Stochastic Parrots", "New.", None)
    ]
    assert store.save_episodes([edited]) == ["updated"]
    assert store.scalar("SELECT id FROM episodes") == episode_id
    assert store.scalar("SELECT title FROM episodes") == "Episode one (edited)"
    assert _count(store, "mentions") == 2
    assert (
        store.scalar(
            "SELECT title FROM works w JOIN identifiers i ON i.work_id = w.id "
            "WHERE i.scheme = 'arxiv'"
        )
        == "Resolved title"
    )
    # the post is no longer cited: its unresolved work and link are gone
    assert store.scalar("SELECT count(*) FROM links WHERE url_canonical LIKE '%example.org%'") == 0
    assert _count(store, "works") == 2


def test_people_are_matched_by_normalized_name(store):
    store.save_episodes(
        [
            _episode(),
            _episode(
                source="/notes/two.md", url="https://pod/2", people=[Person("ADA  PARK", "guest")]
            ),
        ]
    )
    assert _count(store, "people") == 1
    assert _count(store, "appearances") == 2


def test_failed_save_leaves_nothing_half_written(store):
    good = _episode()
    bad = _episode(source="/notes/bad.md", url="https://pod/bad")
    bad.mentions[0].topic = 99  # points at no topic
    with pytest.raises(IndexError):
        store.save_episodes([good, bad])
    assert _count(store, "episodes") == 0
    assert _count(store, "mentions") == 0


def test_full_text_search_over_mentions_and_topics(store):
    store.save_episodes([_episode()])
    hits = store.query(
        "SELECT anchor_text FROM mentions_fts WHERE mentions_fts MATCH 'democratizing'"
    )
    assert [h["anchor_text"] for h in hits] == ["Democratizing AI"]
    assert store.query("SELECT title FROM topics_fts WHERE topics_fts MATCH 'papers'")


def test_integrity_after_writes(store):
    store.save_episodes([_episode()])
    assert store.scalar("PRAGMA integrity_check") == "ok"
    assert store.query("PRAGMA foreign_key_check") == []


def test_not_a_database_is_reported(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        Store(path)


def test_normalize_name():
    assert normalize_name("José  M. Pérez") == "jose m perez"


def test_work_title_takes_the_most_complete_anchor_until_resolved(store):
    casual = _episode(mentions=[Mention("https://arxiv.org/abs/2201.05159", "this paper")])
    store.save_episodes([casual])
    assert store.scalar("SELECT title FROM works") == "arxiv.org: 2201.05159"  # vague anchor
    assert store.scalar("SELECT anchor_text FROM mentions") == "this paper"
    short = _episode(
        source="/notes/two.md",
        mentions=[Mention("arxiv.org/abs/2201.05159", "Structured access")],
    )
    store.save_episodes([short])
    assert store.scalar("SELECT title FROM works") == "Structured access"
    full = _episode(
        source="/notes/three.md",
        mentions=[Mention("arxiv.org/abs/2201.05159", "Structured access: an emerging paradigm")],
    )
    store.save_episodes([full])
    assert store.scalar("SELECT title FROM works") == "Structured access: an emerging paradigm"
    store.save_episodes([_episode(source="/notes/four.md", mentions=short.mentions)])
    assert store.scalar("SELECT title FROM works") == "Structured access: an emerging paradigm"
    with store.transaction() as conn:
        conn.execute("UPDATE works SET title = 'Resolved', status = 'resolved'")
    store.save_episodes(
        [
            _episode(
                source="/notes/five.md",
                mentions=[
                    Mention(
                        "https://arxiv.org/pdf/2201.05159",
                        "Structured access: an emerging paradigm for AI",
                    )
                ],
            )
        ]
    )
    assert store.scalar("SELECT title FROM works") == "Resolved"


def test_a_forum_post_linked_on_several_hosts_is_one_work_labelled_by_its_slug(store):
    post = "iCfdcxiyr2Kj8m8mT"
    in_sequence = f"https://www.lesswrong.com/s/nyEFg3AuJpdAozmoX/p/{post}"
    store.save_episodes([_episode(mentions=[Mention(in_sequence, "this post")])])
    assert store.scalar("SELECT title FROM works") == f"lesswrong.com: {post}"  # no slug yet
    slugged = f"https://www.alignmentforum.org/posts/{post}/the-shard-theory-of-human-values"
    store.save_episodes([_episode(source="/notes/two.md", mentions=[Mention(slugged, "here")])])
    assert store.scalar("SELECT title FROM works") == f"lesswrong.com: {post}"  # a label stays
    named = f"https://www.greaterwrong.com/posts/{post}"
    store.save_episodes(
        [_episode(source="/notes/three.md", mentions=[Mention(named, "The Shard Theory")])]
    )
    assert store.query("SELECT url, title FROM works") == [
        {"url": f"https://lesswrong.com/posts/{post}", "title": "The Shard Theory"}
    ]
    assert _count(store, "links") == 1
    assert _count(store, "mentions") == 3


def test_a_forum_post_first_linked_with_its_slug_is_labelled_by_it(store):
    slugged = "https://www.alignmentforum.org/posts/iCfdcxiyr2Kj8m8mT/the-shard-theory"
    store.save_episodes([_episode(mentions=[Mention(slugged, "this post")])])
    assert store.scalar("SELECT title FROM works") == "lesswrong.com: the shard theory"
    store.save_episodes(
        [_episode(source="/notes/two.md", mentions=[Mention(slugged, "Shard theory")])]
    )
    assert store.scalar("SELECT title FROM works") == "Shard theory"  # a title beats the label


def test_an_older_store_gains_new_columns_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.save_episodes([Episode(title="Old", source="old.txt")])
        store.conn.execute("ALTER TABLE episodes DROP COLUMN image")
        store.conn.execute("PRAGMA user_version = 1")
    with Store(path) as store:
        assert "image" in store.db["episodes"].columns_dict
        assert [r["title"] for r in store.query("SELECT title FROM episodes")] == ["Old"]
        assert store.scalar("PRAGMA user_version") == schema.SCHEMA_VERSION


def _found(store: Store, table: str, column: str, words: str) -> list[str]:
    """The ``column`` of the rows of ``table`` its full-text index finds for ``words``."""
    return [
        row[0]
        for row in store.conn.execute(
            f"SELECT t.{column} FROM {table}_fts f JOIN {table} t ON t.id = f.rowid "
            f"WHERE {table}_fts MATCH ? ORDER BY t.id",
            (words,),
        )
    ]


def _spoken_in(store: Store, words: str) -> list[str]:
    return _found(store, "segments", "text", words)


def test_a_transcript_is_searchable_once_however_often_stored_in_new_and_older_stores(tmp_path):
    path = tmp_path / "t.db"
    first = [Segment("We read the Chinchilla paper."), Segment("Chinchilla again.")]
    with Store(path) as store:
        store.save_episodes([_episode()])
        episode_id = store.episode_id(_episode())
        with store.transaction():
            store.save_transcript(episode_id, first, "t.vtt", "vtt", b"one")
        assert _spoken_in(store, "chinchilla") == [s.text for s in first]
        with store.transaction():  # replaced by another version
            store.save_transcript(
                episode_id, [Segment("Gopher, not Chinchilla.")], "t.vtt", "vtt", b"two"
            )
        assert _spoken_in(store, "chinchilla") == ["Gopher, not Chinchilla."]
        assert _spoken_in(store, "read") == []
        _written_by_version_3(store)
    with Store(path) as store:
        assert _row_triggers(store) == []
        with store.transaction():
            store.save_transcript(episode_id, first, "t.vtt", "vtt", b"three")
        assert _spoken_in(store, "chinchilla") == [s.text for s in first]
        store.conn.execute("INSERT INTO segments_fts (segments_fts) VALUES ('integrity-check')")


def test_mentions_and_topics_are_searchable_once_however_often_their_episode_is_stored(tmp_path):
    path = tmp_path / "m.db"
    with Store(path) as store:
        store.save_episodes([_episode()])
        assert _mentioned(store, "democratizing") == ["We read it."]
        edited = _episode(
            mentions=[
                Mention("https://arxiv.org/abs/2303.12642", "Democratizing AI", "Read twice.", 1)
            ]
        )
        assert store.save_episodes([edited]) == ["updated"]
        assert _mentioned(store, "democratizing") == ["Read twice."]
        assert _mentioned(store, "pdf") == []  # the mentions the edit dropped left the index
        assert store.scalar("SELECT count(*) FROM topics_fts WHERE topics_fts MATCH 'papers'") == 1
        _written_by_version_3(store)
    with Store(path) as store:
        assert _row_triggers(store) == []
        store.save_episodes([_episode(source="/notes/two.md", url="https://pod.example.org/2")])
        assert sorted(_mentioned(store, "democratizing")) == ["Read twice.", "We read it."]
        for table in ("mentions", "topics"):  # one entry per row: none indexed twice
            store.conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")
            indexed = store.scalar(f"SELECT count(*) FROM {table}_fts_docsize")
            assert indexed == store.scalar(f"SELECT count(*) FROM {table}")


def _mentioned(store: Store, words: str) -> list[str]:
    return _found(store, "mentions", "context", words)


def _written_by_version_3(store: Store) -> None:
    """Make ``store`` one an older linkgraph wrote: new rows indexed by a trigger each."""
    store.conn.execute(
        "CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN INSERT INTO segments_fts "
        "(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker); END"
    )
    store.conn.execute(
        "CREATE TRIGGER mentions_ai AFTER INSERT ON mentions BEGIN INSERT INTO mentions_fts "
        "(rowid, anchor_text, context) VALUES (new.rowid, new.anchor_text, new.context); END"
    )
    store.conn.execute(
        "CREATE TRIGGER topics_ai AFTER INSERT ON topics BEGIN INSERT INTO topics_fts "
        "(rowid, title) VALUES (new.rowid, new.title); END"
    )
    store.conn.execute("PRAGMA user_version = 3")


def _row_triggers(store: Store) -> list[str]:
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_ai'"
        )
        if row[0] in ("segments_ai", "mentions_ai", "topics_ai")
    ]
