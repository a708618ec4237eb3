"""The questions, on the sample store (see conftest.py), an empty store, and bad references;
and the commands that print them."""

from __future__ import annotations

import json

import pytest

from linkgraph import query
from linkgraph.query import RefError

GOODHART, DEBATE, SURVEY = "arxiv:2401.01234", "arxiv:1805.00899", "doi:10.1000/xyz123"
BLOG = "url:https://example-blog.com/posts/reward-is-not-enough"
PATREON = "url:https://patreon.com/papertrails"
TALK = "url:https://youtube.com/watch?v=abc123def45"
XSS = "url:https://evil.example/post"
CODE = "url:https://github.com/example/rewardlab"


def _ids(rows: list[dict], key: str = "id") -> list:
    return [row[key] for row in rows]


# ---- references ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        DEBATE,
        "arXiv:1805.00899",
        "1805.00899v2",
        "https://arxiv.org/pdf/1805.00899v2.pdf",
        "http://www.arxiv.org/abs/1805.00899",
        "work:4",
        "4",
        "AI safety via debate",
        "safety via",
        " ai SAFETY via DEBATE ",
    ],
)
def test_find_work(sample_store, ref):
    assert query.find_work(sample_store, ref) == 4


def test_find_work_by_url_id_and_unresolved_title(sample_store):
    assert query.find_work(sample_store, CODE) == 8
    assert query.find_work(sample_store, "https://github.com/example/rewardlab/") == 8
    assert query.find_work(sample_store, "Scalable oversight") == 5


def test_ambiguous_work_lists_candidates(sample_store):
    with pytest.raises(RefError, match="matches 2 works") as error:
        query.find_work(sample_store, "debate")
    assert sorted(_ids(error.value.candidates)) == [DEBATE, TALK]
    assert {c["title"] for c in error.value.candidates} == {
        "AI safety via debate",
        "A talk on debate",
    }


@pytest.mark.parametrize(
    "ref",
    [
        "",
        "   ",
        "nothing matches this",
        "arxiv:9999.99999",
        "work:99",
        "'; DROP TABLE works; --",
        "%",
        "_",
        "\\",
        '"',
        "title : (x) OR",
        "NEAR(a b)",
        "*",
    ],
)
def test_unknown_work(sample_store, ref):
    with pytest.raises(RefError) as error:
        query.find_work(sample_store, ref)
    assert error.value.candidates == []
    assert sample_store.scalar("SELECT count(*) FROM works") == 8


@pytest.mark.parametrize(
    "ref, episode_id",
    [
        ("https://papertrails.example/ep/2", 2),
        ("http://papertrails.example/ep/2/", 2),
        ("pt-2", 2),
        ("episode:2", 2),
        ("2", 2),
        ("notes/2.md", 2),
        ("Ben Ode", 2),
        ("mailbag", 3),
        ("optimization discontents", 4),
    ],
)
def test_find_episode(sample_store, ref, episode_id):
    assert query.find_episode(sample_store, ref) == episode_id


def test_ambiguous_episode_lists_candidates(sample_store):
    with pytest.raises(RefError) as error:
        query.find_episode(sample_store, "with")
    assert error.value.candidates == [
        {
            "id": "episode:1",
            "kind": "episode",
            "title": "Reward hacking with Ada Park",
            "published": "2023-01-10",
            "episode_id": 1,
        },
        {
            "id": "episode:2",
            "kind": "episode",
            "title": "Debate and oversight with Ben Ode",
            "published": "2023-03-05",
            "episode_id": 2,
        },
    ]


@pytest.mark.parametrize(
    "ref",
    [
        "%",
        "_",
        "episode:99",
        "99",
        "'; DROP TABLE episodes; --",
        "https://papertrails.example/ep/9",
    ],
)
def test_unknown_episode(sample_store, ref):
    with pytest.raises(RefError):
        query.find_episode(sample_store, ref)


def test_find_person_and_podcast(sample_store):
    assert query.find_person(sample_store, "ADA PARK") == 1
    assert query.find_person(sample_store, "park") == 1
    assert query.find_person(sample_store, "person:3") == 3
    with pytest.raises(RefError) as error:
        query.find_person(sample_store, "e")
    assert _ids(error.value.candidates) == ["person:3", "person:4", "person:5"]
    assert query.find_podcast(sample_store, "paper trails") == 1
    assert query.find_podcast(sample_store, "https://other.example/feed.xml") == 2
    with pytest.raises(RefError):
        query.find_podcast(sample_store, "%")


# ---- cites and cited-by -------------------------------------------------------------------


def test_cites(sample_store):
    episodes = query.cites(sample_store, DEBATE)
    assert [(e["episode_title"], len(e["mentions"])) for e in episodes] == [
        ("Debate and oversight with Ben Ode", 2),
        ("Mailbag", 1),
        ("Optimization and its discontents", 1),
    ]
    assert episodes[0]["mentions"][0] == {
        "url": "https://arxiv.org/abs/1805.00899",
        "anchor_text": "AI safety via debate",
        "topic": "Debate",
        "topic_anchor": None,
        "start_seconds": 35.0,
        "section": None,
        "context": "The debate paper.",
        "boilerplate": False,
        "boilerplate_reason": None,
        "via": "link",
        "confidence": None,
        "speaker": None,
        "said_at": None,
        "said_at_url": None,
    }
    assert episodes[0]["podcast"] == "Paper Trails"


def test_cites_marks_boilerplate_and_keeps_it(sample_store):
    episodes = query.cites(sample_store, PATREON)
    assert [e["episode_title"] for e in episodes] == [
        "Reward hacking with Ada Park",
        "Debate and oversight with Ben Ode",
    ]
    assert {
        (m["boilerplate"], m["boilerplate_reason"]) for e in episodes for m in e["mentions"]
    } == {(True, "support link")}


def test_cited_by_has_resolved_titles_and_authors(sample_store):
    works = query.cited_by(sample_store, "pt-2")
    assert _ids(works) == [DEBATE, GOODHART, SURVEY, PATREON]
    assert works[0]["title"] == "AI safety via debate"
    assert works[0]["authors"] == ["Ben Ode", "Geo Irwin"]
    assert [m["anchor_text"] for m in works[0]["mentions"]] == ["AI safety via debate", "pdf"]
    assert works[2]["title"] == "Scalable oversight: a survey"  # unresolved: the link text
    assert [w["boilerplate"] for w in works] == [False, False, False, True]


# ---- top and works ------------------------------------------------------------------------


def test_top(sample_store):
    works = query.top(sample_store)
    assert [(w["id"], w["episodes"], w["mentions"]) for w in works] == [
        (DEBATE, 3, 4),
        (GOODHART, 3, 3),
        (BLOG, 1, 1),
        (SURVEY, 1, 1),
        (TALK, 1, 1),
        (XSS, 1, 1),
        (CODE, 1, 1),
    ]
    assert works[0] == {
        "id": DEBATE,
        "kind": "paper",
        "title": "AI safety via debate",
        "authors": ["Ben Ode", "Geo Irwin"],
        "published": "2018-05-02",
        "identifiers": [DEBATE],
        "url": "https://arxiv.org/abs/1805.00899",
        "episodes": 3,
        "mentions": 4,
        "status": "resolved",
    }


def test_top_leaves_boilerplate_out_unless_asked(sample_store):
    everything = query.top(sample_store, include_boilerplate=True)
    assert [(w["id"], w["episodes"]) for w in everything[:3]] == [
        (DEBATE, 3),
        (GOODHART, 3),
        (PATREON, 2),
    ]
    assert PATREON not in _ids(query.top(sample_store))
    assert _ids(query.top(sample_store, kind="support")) == []
    assert _ids(query.top(sample_store, kind="support", include_boilerplate=True)) == [PATREON]


def test_top_counts_only_the_content_mentions_of_a_work(sample_store):
    with sample_store.transaction() as conn:  # the debate paper, once, as furniture
        conn.execute(
            "UPDATE mentions SET boilerplate = 1, boilerplate_reason = 'test' WHERE id = "
            "(SELECT min(m.id) FROM mentions m JOIN links l ON l.id = m.link_id "
            "WHERE l.work_id = 4 AND m.episode_id = 3)"
        )
    counts = {w["id"]: (w["episodes"], w["mentions"]) for w in query.top(sample_store)}
    assert counts[DEBATE] == (2, 3)
    everything = query.top(sample_store, include_boilerplate=True)
    assert (everything[0]["episodes"], everything[0]["mentions"]) == (3, 4)


def test_top_filters(sample_store):
    assert _ids(query.top(sample_store, kind="paper")) == [DEBATE, GOODHART, SURVEY]
    assert _ids(query.top(sample_store, kind="paper", limit=1)) == [DEBATE]
    other = query.top(sample_store, podcast="Other Show")
    assert [(w["id"], w["episodes"]) for w in other] == [(GOODHART, 1), (DEBATE, 1), (CODE, 1)]
    assert _ids(query.top(sample_store, since="2024")) == _ids(other)
    assert _ids(query.top(sample_store, until="2023-01")) == [GOODHART, BLOG]
    assert query.top(sample_store, kind="dataset") == []


@pytest.mark.parametrize(
    "option", [{"since": "2024-13"}, {"until": "yesterday"}, {"since": "2023-02-30"}]
)
def test_bad_dates(sample_store, option):
    with pytest.raises(ValueError, match="expected a date"):
        query.top(sample_store, **option)


def test_unknown_podcast(sample_store):
    with pytest.raises(RefError, match="no podcast"):
        query.top(sample_store, podcast="Nope")


def test_works(sample_store):
    assert _ids(query.works(sample_store)) == [
        XSS,
        TALK,
        DEBATE,
        CODE,  # its anchor "rewardlab" names nothing: labelled "github.com: rewardlab"
        GOODHART,
        PATREON,
        SURVEY,
        BLOG,
    ]
    pending_papers = query.works(sample_store, kind="paper", status="pending")
    assert pending_papers == [
        {
            "id": SURVEY,
            "kind": "paper",
            "title": "Scalable oversight: a survey",
            "authors": [],
            "published": None,
            "identifiers": [SURVEY],
            "url": "https://doi.org/10.1000/xyz123",
            "episodes": 1,
            "mentions": 1,
            "status": "pending",
        }
    ]


def test_works_lists_uncited_works(sample_store):
    with sample_store.transaction() as conn:
        conn.execute(
            "INSERT INTO works (kind, title, status) VALUES ('paper', 'Orphan', 'resolved')"
        )
    orphan = query.works(sample_store, status="resolved")[-1]
    assert (orphan["id"], orphan["episodes"], orphan["mentions"]) == ("work:9", 0, 0)
    assert "work:9" not in _ids(query.top(sample_store))


# ---- related and cocited ------------------------------------------------------------------


def test_related(sample_store):
    episodes = query.related(sample_store, "Debate and oversight")
    assert [(e["episode_title"], e["score"], _ids(e["shared"])) for e in episodes] == [
        ("Optimization and its discontents", 1.022, [GOODHART, DEBATE]),
        ("Reward hacking with Ada Park", 0.511, [GOODHART]),  # the shared Patreon does not count
        ("Mailbag", 0.511, [DEBATE]),
    ]
    with_furniture = query.related(sample_store, "Debate and oversight", include_boilerplate=True)
    assert [(e["episode_title"], e["score"], _ids(e["shared"])) for e in with_furniture][0] == (
        "Reward hacking with Ada Park",
        1.427,
        [PATREON, GOODHART],
    )
    assert episodes[0]["episode_url"] == "https://other.example/episodes/optimization"
    assert episodes[0]["shared"][1] == {
        "id": DEBATE,
        "kind": "paper",
        "title": "AI safety via debate",
    }


def test_related_options(sample_store):
    assert query.related(sample_store, "pt-2", limit=1)[0]["episode_title"] == (
        "Optimization and its discontents"
    )
    assert [e["episode_title"] for e in query.related(sample_store, "pt-3", kind="video")] == []
    assert query.related(sample_store, "Listener questions") == []


def test_rare_shared_works_outweigh_common_ones(sample_store):
    # E1 and E3 now share the blog post (cited by 2 of 5 episodes): more than Goodhart (3 of 5)
    with sample_store.transaction() as conn:
        conn.execute(
            "INSERT INTO mentions (episode_id, link_id, url, anchor_text, position) "
            "SELECT 3, id, url_canonical, 'blog', 9 FROM links WHERE work_id = 2"
        )
    scores = {e["episode_title"]: e["score"] for e in query.related(sample_store, "pt-1")}
    assert scores["Mailbag"] > scores["Debate and oversight with Ben Ode"]


def test_cocited(sample_store):
    works = query.cocited(sample_store, GOODHART)
    assert [(w["id"], w["episodes"], w["mentions"]) for w in works] == [
        (DEBATE, 2, 3),
        (BLOG, 1, 1),
        (SURVEY, 1, 1),
        (CODE, 1, 1),
    ]
    assert works[0]["authors"] == ["Ben Ode", "Geo Irwin"]
    assert _ids(query.cocited(sample_store, GOODHART, kind="paper", limit=5)) == [DEBATE, SURVEY]
    assert _ids(query.cocited(sample_store, TALK)) == [DEBATE, XSS]
    assert PATREON not in _ids(query.cocited(sample_store, DEBATE))
    assert PATREON in _ids(query.cocited(sample_store, DEBATE, include_boilerplate=True))
    assert query.cocited(sample_store, PATREON) == []  # cited only as furniture: no episodes


# ---- people -------------------------------------------------------------------------------


def test_author(sample_store):
    person = query.author(sample_store, "Ben Ode")
    assert person == {
        "id": "person:3",
        "name": "Ben Ode",
        "url": None,
        "works": [
            {
                "id": DEBATE,
                "kind": "paper",
                "title": "AI safety via debate",
                "authors": ["Ben Ode", "Geo Irwin"],
                "published": "2018-05-02",
                "identifiers": [DEBATE],
                "url": "https://arxiv.org/abs/1805.00899",
                "episodes": 3,
                "citing": [
                    {
                        "episode_title": "Debate and oversight with Ben Ode",
                        "episode_url": "https://papertrails.example/ep/2",
                        "published": "2023-03-05",
                    },
                    {
                        "episode_title": "Mailbag",
                        "episode_url": "https://papertrails.example/ep/3",
                        "published": "2023-06-01",
                    },
                    {
                        "episode_title": "Optimization and its discontents",
                        "episode_url": "https://other.example/episodes/optimization",
                        "published": "2024-02-02",
                    },
                ],
            }
        ],
        "appearances": [
            {
                "episode_title": "Debate and oversight with Ben Ode",
                "episode_url": "https://papertrails.example/ep/2",
                "published": "2023-03-05",
                "podcast": "Paper Trails",
                "role": "guest",
            }
        ],
    }


def test_author_who_only_appears(sample_store):
    person = query.author(sample_store, "sam")
    assert (person["works"], len(person["appearances"])) == ([], 3)
    assert {a["role"] for a in person["appearances"]} == {"host"}


def test_people(sample_store):
    assert [
        (p["id"], p["name"], p["works"], p["appearances"], p["roles"])
        for p in query.people(sample_store)
    ] == [
        ("person:1", "Ada Park", 1, 2, ["author", "guest"]),
        ("person:2", "Sam Host", 0, 3, ["host"]),
        ("person:3", "Ben Ode", 1, 1, ["author", "guest"]),
        ("person:4", "Cy Dee", 1, 0, ["author"]),
        ("person:5", "Geo Irwin", 1, 0, ["author"]),
    ]


# ---- search -------------------------------------------------------------------------------


def test_search_ranks_every_kind_of_hit(sample_store):
    hits = query.search(sample_store, "reward")
    # one hit per work, the best of its title and its link texts
    assert [(h["type"], h["id"]) for h in hits] == [
        ("mention", CODE),
        ("episode", "episode:1"),
        ("mention", BLOG),
        ("topic", "topic:2"),
        ("mention", GOODHART),
    ]
    assert hits[0]["episode"] == "Optimization and its discontents"
    assert hits[3] == {
        "type": "topic",
        "id": "topic:2",
        "title": "Measuring reward hacking",
        "snippet": "Measuring [reward] hacking",
        "score": hits[3]["score"],
        "episode": "Reward hacking with Ada Park",
        "url": "https://papertrails.example/ep/1#measuring",
    }
    assert hits == sorted(hits, key=lambda h: -h["score"])


def test_search_names_abstracts_and_link_texts(sample_store):
    assert [(h["type"], h["id"], h["snippet"]) for h in query.search(sample_store, "irwin")] == [
        ("person", "person:5", "Geo Irwin"),
        ("work", DEBATE, "by Ben Ode, Geo Irwin"),
    ]
    assert _ids(query.search(sample_store, "judges")) == [DEBATE]  # in the abstract
    hits = query.search(sample_store, "listener sent")  # the context of a link
    assert [(h["type"], h["id"], h["episode"]) for h in hits] == [("mention", XSS, "Mailbag")]
    assert query.search(sample_store, "reward", limit=2) == query.search(sample_store, "reward")[:2]


def test_search_leaves_boilerplate_out_unless_asked(sample_store):
    assert query.search(sample_store, "patreon") == []  # its title and its link texts
    assert query.search(sample_store, "support show") == []  # the context of its mentions
    hits = query.search(sample_store, "patreon", include_boilerplate=True)
    assert [(h["type"], h["id"]) for h in hits] == [("work", PATREON)]
    found = query.search(sample_store, "support show", include_boilerplate=True)
    assert [(h["type"], h["id"]) for h in found] == [("mention", PATREON)]


@pytest.mark.parametrize(
    "text", ["'; DROP TABLE works; --", 'title : "x" OR y', "NEAR(a b)", "zq* AND -zr", "zzzz"]
)
def test_search_takes_metacharacters_as_text(sample_store, text):
    assert query.search(sample_store, text) == []
    assert sample_store.scalar("SELECT count(*) FROM works") == 8


def test_search_needs_words(sample_store):
    with pytest.raises(ValueError, match="no words"):
        query.search(sample_store, "%*")


# ---- listings and paths -------------------------------------------------------------------


def test_episodes(sample_store):
    rows = query.episodes(sample_store)
    assert [(e["id"], e["podcast"], e["topics"], e["mentions"], e["works"]) for e in rows] == [
        (1, "Paper Trails", 2, 3, 3),
        (2, "Paper Trails", 2, 5, 4),
        (3, "Paper Trails", 0, 3, 3),
        (4, "Other Show", 1, 3, 3),
        (5, "Other Show", 0, 0, 0),
    ]
    assert rows[0]["title"] == "Reward hacking with Ada Park"
    assert _ids(query.episodes(sample_store, podcast="Other Show", until="2024-03")) == [4]


def test_topics(sample_store):
    assert query.topics(sample_store, "Debate and oversight") == [
        {
            "id": "topic:3",
            "title": "Debate",
            "anchor": None,
            "start_seconds": 35.0,
            "level": 1,
            "url": "https://papertrails.example/ep/2#t=35",
            "works": [
                {"id": DEBATE, "kind": "paper", "title": "AI safety via debate", "mentions": 2}
            ],
        },
        {
            "id": "topic:4",
            "title": "Oversight",
            "anchor": None,
            "start_seconds": 1200.5,
            "level": 1,
            "url": "https://papertrails.example/ep/2#t=1200",
            "works": [
                {
                    "id": GOODHART,
                    "kind": "paper",
                    "title": "Goodhart in Practice: Measuring Reward Hacking in Language Models",
                    "mentions": 1,
                },
                {
                    "id": SURVEY,
                    "kind": "paper",
                    "title": "Scalable oversight: a survey",
                    "mentions": 1,
                },
            ],
        },
    ]
    assert query.topics(sample_store, "pt-1")[0]["url"] == "https://papertrails.example/ep/1#intro"
    assert query.topics(sample_store, "Mailbag") == []


def test_path(sample_store):
    steps = query.path(sample_store, GOODHART, "rewardlab")
    assert [(s["id"], s["ref"], s["relation"], s["direction"]) for s in steps] == [
        ("work:1", GOODHART, None, None),
        ("episode:4", "episode:4", "cites", "<-"),
        ("work:8", CODE, "cites", "->"),
    ]
    assert steps[1]["title"] == "Optimization and its discontents"


def test_path_goes_through_boilerplate_only_when_asked(sample_store):
    with pytest.raises(RefError, match="not in the graph"):
        query.path(sample_store, PATREON, "pt-1")
    steps = query.path(sample_store, PATREON, "pt-1", include_boilerplate=True)
    assert [s["id"] for s in steps] == ["work:3", "episode:1"]


def test_path_bad_refs(sample_store):
    with pytest.raises(RefError):
        query.path(sample_store, GOODHART, "nothing like this")
    with pytest.raises(RefError) as error:
        query.path(sample_store, "debate", GOODHART)
    assert len(error.value.candidates) == 3


# ---- an empty store -----------------------------------------------------------------------


def test_empty_store(empty_store):
    assert query.stats(empty_store)["works"] == 0
    for question in (query.top, query.works, query.people, query.episodes):
        assert question(empty_store) == []
    assert query.search(empty_store, "anything") == []
    for question in (
        query.cites,
        query.cited_by,
        query.related,
        query.cocited,
        query.author,
        query.topics,
    ):
        with pytest.raises(RefError):
            question(empty_store, "anything")
    with pytest.raises(RefError):
        query.path(empty_store, "a", "b")


# ---- the commands -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (["top", "--kind", "paper", "--limit", "2"], lambda s: query.top(s, kind="paper", limit=2)),
        (
            ["top", "--podcast", "Other", "--since", "2024-01"],
            lambda s: query.top(s, podcast="Other", since="2024-01"),
        ),
        (["related", "pt-2", "--limit", "2"], lambda s: query.related(s, "pt-2", limit=2)),
        (
            ["cocited", GOODHART, "--kind", "paper"],
            lambda s: query.cocited(s, GOODHART, kind="paper"),
        ),
        (["author", "Ada Park"], lambda s: query.author(s, "Ada Park")),
        (["author"], query.people),
        (["search", "reward", "-n", "3"], lambda s: query.search(s, "reward", limit=3)),
        (["path", DEBATE, CODE], lambda s: query.path(s, DEBATE, CODE)),
        (["episodes", "--until", "2023"], lambda s: query.episodes(s, until="2023")),
        (
            ["works", "--kind", "paper", "--status", "resolved"],
            lambda s: query.works(s, kind="paper", status="resolved"),
        ),
        (["topics", "episode:1"], lambda s: query.topics(s, "episode:1")),
    ],
)
def test_commands_print_the_json_of_the_questions(sample_store, run_cli, args, expected):
    result = run_cli(sample_store, *args, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected(sample_store)


@pytest.mark.parametrize(
    "args, shown",
    [
        (["top"], ["AI safety via debate", "arxiv:1805.00899", XSS]),
        (["related", "pt-2"], ["1.022", "Optimization and its discontents"]),
        (["cocited", GOODHART], ["AI safety via debate"]),
        (["author", "Ben"], ["Ben Ode  (person:3)", "Mailbag", "guest"]),
        (["author"], ["person:5", "Geo Irwin", "author, guest"]),
        (["search", "reward"], ["[reward]", "topic:2"]),
        (["path", DEBATE, CODE], ["--cites-->", "<--cites--", "episode:4"]),
        (["episodes"], ["episode:5", "Listener questions"]),
        (["works", "--status", "pending"], [XSS, "<img src=x onerror=alert(1)>"]),
        (["topics", "pt-2"], ["0:20:00", "Oversight"]),
    ],
)
def test_commands_print_tables(sample_store, run_cli, args, shown):
    result = run_cli(sample_store, *args)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    for text in shown:
        assert " ".join(text.split()) in flat


@pytest.mark.parametrize(
    "args, message",
    [
        (["cocited", "debate"], "matches 2 works"),
        (["related", "with"], "matches 2 episodes"),
        (["author", "zzz"], "no person matches 'zzz'"),
        (["topics", "episode:99"], "no episode matches"),
        (["top", "--since", "2024-13"], "--since '2024-13': expected a date"),
        (["top", "--podcast", "Nope"], "no podcast matches"),
        (["search", "%"], "no words"),
        (["path", "debate", GOODHART], "matches 3 works and episodes"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_candidates(sample_store, run_cli, args, message):
    result = run_cli(sample_store, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr.splitlines()[0]


def test_ambiguous_ref_lists_candidates_on_stderr(sample_store, run_cli):
    result = run_cli(sample_store, "cocited", "debate")
    assert f"candidate: {DEBATE}  AI safety via debate" in result.stderr
    assert f"candidate: {TALK}  A talk on debate" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["top"], "No cited works."),
        (["works"], "No works."),
        (["episodes"], "No episodes."),
        (["author"], "No people."),
        (["search", "x"], "Nothing found."),
    ],
)
def test_commands_on_an_empty_store(empty_store, run_cli, args, message):
    result = run_cli(empty_store, *args)
    assert (result.exit_code, result.stdout.strip()) == (0, message)
    assert json.loads(run_cli(empty_store, *args, "--json").stdout) == []
