"""A store written by older identify rules is identified again when opened for writing."""

from __future__ import annotations

import sqlite3

from support.db import snapshot

from linkgraph.identify import RULES_VERSION, canonical_url, identify, urls
from linkgraph.model import Episode, Mention
from linkgraph.store import Store

PAGE_OLD = "https://example.org/a%7eb"  # the old rules kept percent-encoding as written
PAGE = "https://example.org/a~b"
DOI_OLD = "10.1000/xyz123)."  # the old rules kept the junk after a DOI
DOI = "10.1000/xyz123"


def episode(title: str, *urls: str) -> Episode:
    return Episode(
        title, f"{title}.md", mentions=[Mention(u, f"link {n}") for n, u in enumerate(urls)]
    )


def make_old_store(db) -> None:
    """A store as the old rules left it: stale canonical URLs and ids, a resolved page work,
    and a second work the new rules made for a new citation of the same page."""
    with Store(db) as store:
        store.save_episodes([episode("First", PAGE_OLD, f"https://doi.org/{DOI}")])
        with store.transaction() as conn:
            conn.execute(
                "UPDATE links SET url_canonical = ? WHERE url_canonical = ?", (PAGE_OLD, PAGE)
            )
            conn.execute("UPDATE identifiers SET value = ? WHERE value = ?", (PAGE_OLD, PAGE))
            conn.execute(
                "UPDATE works SET title = 'The resolved page', status = 'resolved', "
                "abstract = 'Kept.', primary_id = ? WHERE url = ?",
                (f"url:{PAGE_OLD}", PAGE),
            )
            conn.execute(
                "UPDATE links SET url_canonical = ? WHERE url_canonical = ?",
                (f"https://doi.org/{DOI_OLD}", f"https://doi.org/{DOI}"),
            )
            conn.execute(
                "UPDATE mentions SET url = ? WHERE url = ?",
                (f"https://doi.org/{DOI_OLD}", f"https://doi.org/{DOI}"),
            )
            conn.execute("UPDATE identifiers SET value = ? WHERE value = ?", (DOI_OLD, DOI))
            conn.execute(
                "UPDATE works SET primary_id = ? WHERE primary_id = ?",
                (f"doi:{DOI_OLD}", f"doi:{DOI}"),
            )
            conn.execute("DELETE FROM meta")  # stores recorded no rules before
        # the bug: the same page cited anew becomes a second work
        store.save_episodes([episode("Second", PAGE)])
        assert store.scalar("SELECT count(*) FROM works WHERE url = ?", (PAGE,)) == 2


def test_opening_an_old_store_identifies_it_again_and_merges_what_coincides(tmp_path):
    db = tmp_path / "old.db"
    make_old_store(db)
    with Store(db) as store:
        links = store.query("SELECT url_canonical FROM links ORDER BY url_canonical")
        identifiers = store.query("SELECT scheme, value FROM identifiers ORDER BY scheme")
        page = store.query(
            "SELECT w.title, w.status, w.abstract, w.primary_id, count(DISTINCT m.episode_id) AS n "
            "FROM works w JOIN links l ON l.work_id = w.id JOIN mentions m ON m.link_id = l.id "
            "WHERE w.url = ? GROUP BY w.id",
            (PAGE,),
        )
        doi_primary = store.scalar("SELECT primary_id FROM works WHERE kind = 'paper'")
        rules = store.scalar("SELECT value FROM meta WHERE key = 'identify_rules'")
    assert links == [{"url_canonical": f"https://doi.org/{DOI}"}, {"url_canonical": PAGE}]
    assert identifiers == [{"scheme": "doi", "value": DOI}, {"scheme": "url", "value": PAGE}]
    assert page == [
        {
            "title": "The resolved page",
            "status": "resolved",
            "abstract": "Kept.",
            "primary_id": f"url:{PAGE}",
            "n": 2,
        }
    ]
    assert doi_primary == f"doi:{DOI}"
    assert rules == str(RULES_VERSION)


def test_after_the_upgrade_a_new_citation_joins_the_work_and_a_reopen_changes_nothing(tmp_path):
    db = tmp_path / "old.db"
    make_old_store(db)
    with Store(db) as store:
        store.save_episodes(
            [episode("Third", "https://EXAMPLE.org/a%7Eb", f"https://doi.org/{DOI}.")]
        )
        assert store.scalar("SELECT count(*) FROM works") == 2
        assert store.scalar("SELECT count(*) FROM links") == 2
    before = snapshot(db)
    Store(db).close()
    assert snapshot(db) == before


def test_a_read_only_old_store_is_read_as_it_is(tmp_path, monkeypatch):
    db = tmp_path / "old.db"
    make_old_store(db)
    monkeypatch.setattr("linkgraph.store._writable", lambda path: False)  # as for a read-only file
    with Store(db) as store:
        assert store.read_only
        assert store.scalar("SELECT count(*) FROM works WHERE url = ?", (PAGE,)) == 2
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM meta").fetchone() == (0,)
    conn.close()


def test_posts_of_one_forum_database_written_as_several_works_become_one(tmp_path, monkeypatch):
    """Rules 2 kept each host and path of a forum post apart; rules 3 make them one post."""
    post = "JvZhhzycHu2Yd57RN"
    forms = [
        f"https://www.alignmentforum.org/posts/{post}/causal-scrubbing",
        f"https://www.alignmentforum.org/s/h95ayYYwMebGEYN5y/p/{post}",
        f"https://www.lesswrong.com/posts/{post}",
    ]
    db = tmp_path / "old.db"
    caches = (identify, canonical_url)
    monkeypatch.setattr(urls, "_forum_post", lambda parts: parts)  # the rules before
    for cache in caches:
        cache.cache_clear()
    with Store(db) as store:
        store.save_episodes([episode(f"Ep {n}", url) for n, url in enumerate(forms)])
        assert store.scalar("SELECT count(*) FROM works") == 3
        with store.transaction() as conn:
            conn.execute("UPDATE meta SET value = '2' WHERE key = 'identify_rules'")
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()
    with Store(db) as store:
        links = store.query("SELECT url_canonical, kind FROM links")
        cited = store.scalar("SELECT count(DISTINCT episode_id) FROM mentions")
        works = store.scalar("SELECT count(*) FROM works")
    assert links == [{"url_canonical": f"https://lesswrong.com/posts/{post}", "kind": "post"}]
    assert (works, cited) == (1, 3)
