"""Boilerplate: which mentions are a show's own furniture rather than what an episode is about.

Sponsors, "support the show", Patreon and other support links, social profiles, "follow
us" and subscribe links, the show's own site, hosting platforms' privacy notices and funder
acknowledgements fill most of the links of real show notes. Each mention is classified
as content or boilerplate, with the reason, from:

- the link itself: its kind (support), the shape of its address (a profile or channel page,
  a share button, a legal page), the show's own site or name in it (a sponsor's
  ``example.com/showname`` code);
- the words of the heading it stands under (section or topic) and of its context sentence;
- above all, repetition within the podcast: a link in a large share of the podcast's
  episodes, or in many episodes in the same sentence, is furniture; so is a link that is
  furniture by the rules above in most of its episodes, wherever it appears, one that
  stands between pieces of furniture episode after episode (a list of sponsors or apps),
  and the home page of a sponsor whose code address the podcast carries.

Repetition needs the whole podcast, so a podcast is classified as a whole whenever its
episodes change: the store writes new mentions unclassified (``boilerplate`` NULL) and
``classify_pending`` classifies every podcast that has such mentions. Episodes without a
podcast form one group of their own. The rules are data (``Rules``), not code.
"""

from __future__ import annotations

import math
import re
import sqlite3
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from .identify import identify


@cache
def _any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for many, to search lower-cased text with (much faster than IGNORECASE)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _search(pattern: re.Pattern[str], text: str) -> str | None:
    """The words of ``text`` a lower-case pattern finds, as written, or None."""
    lower = text.lower()
    found = pattern.search(lower)
    if not found:
        return None
    return text[found.start() : found.end()] if len(lower) == len(text) else found.group(0)


@dataclass(frozen=True)
class Rules:
    """What makes a mention boilerplate. Word patterns are regular expressions in lower case,
    searched for in the lower-cased text; the words they find become the reason. Path
    patterns are searched for in the lower-cased path of the canonical URL."""

    # headings (a mention's section, else its topic) that introduce furniture
    headings: tuple[str, ...] = (
        r"\bsponsor",
        r"\b(?:our |ad |advertising )?partners?\b",
        r"\badverti[sz]",
        r"\bsupport (?:us|the (?:show|podcast|channel)|this (?:show|podcast)|our (?:work|show))\b",
        r"\b(?:patreon|patrons?|donat(?:e|ions?)|tip jar|membership)\b",
        r"\b(?:follow|find|contact|reach|connect with|join|chat with) us\b",
        r"^\W*(?:contact|feedback|community|socials?|social (?:media|links)|credits?|hosts?"
        r"|your hosts?|subscribe|newsletter|merch(?:andise)?|announcements?|shop|store)\b",
        r"\bsubscribe\b",
        r"\b(?:listen|where to listen|watch|get the show) (?:on|to us|everywhere)\b",
        r"\bwhere to (?:find|listen|follow)\b",
        r"\babout (?:the|this|our) (?:show|podcast)\b",
        r"\bon the web\b",
        r"\bprivacy\b|\bimpressum\b|\blegal\b",
        # German, Spanish, French, Dutch and Czech show notes use these
        r"\bunterst[üu]tz|\bwerbe|\bfolgt uns\b|\bkontakt\b|\babonnier|\bspende",
        r"\bpatrocin|\bs[íi]guenos\b|\bapoya|\bsuivez-nous\b|\bsoutenez\b|\bvolg ons\b",
        r"\bpodpo[řr]|\bsledujte\b",
    )
    # context sentences of furniture
    contexts: tuple[str, ...] = (
        r"\bsponsored by\b",
        r"\b(?:our|today'?s|this week'?s|this episode'?s|the show'?s) sponsors?\b",
        r"\bthanks? (?:to )?(?:our|this week'?s|today'?s) sponsors?\b",
        r"\bsponsor(?:s|ing)? (?:of )?(?:this|the|today'?s) (?:episode|show|podcast)\b",
        r"\bbrought to you by\b",
        r"\bmade possible by\b",
        r"\b(?:promo|offer|discount|coupon|voucher) code\b",
        r"\b(?:use|enter) (?:the )?code\b",
        r"\b\d+ ?% off\b",
        r"\bfree trial\b",
        r"\bad-free\b",
        r"\bad ?choices\b",
        r"\bprivacy (?:policy|notice)\b",
        r"\bhosted (?:on|by) (?:acast|anchor|libsyn|buzzsprout|podbean|simplecast|megaphone"
        r"|art19|spreaker|transistor|captivate|redcircle|soundcloud|fireside)\b",
        r"\badverti[sz]e (?:with|on) (?:us|the show|this podcast)\b",
        r"\bsupport(?:ing)? (?:us|the (?:show|podcast|channel)|this (?:show|podcast|channel)"
        r"|our (?:work|show|podcast|channel))\b",
        r"\bbecome an? (?:patron|member|supporter|sponsor|subscriber)\b",
        r"\b(?:patreon|ko-?fi|buy ?me ?a ?coffee|buy us a coffee|tip jar)\b",
        r"\bpatrons\b",
        r"\b(?:financial support for|financial costs of) (?:this|the) (?:episode|show|podcast)",
        r"\b(?:this|the) (?:episode|show|podcast) (?:is|was) (?:funded|supported|made possible)",
        r"\bcovered by a grant\b",
        r"\bfollow (?:us|me|along|the (?:show|podcast|channel))\b",
        r"\bfollow [\w.+@' -]{1,40} on (?:twitter|x|facebook|instagram|mastodon|bluesky"
        r"|threads|linkedin|youtube|tiktok|twitch|social media)\b",
        r"\bfind us (?:on|at)\b",
        r"\b(?:connect|get in touch|reach out|talk) (?:to|with )?us\b",
        r"\bjoin (?:us|our|the) (?:\w+ )?(?:discord|slack|community|conversation|mailing list"
        r"|newsletter|telegram|subreddit|forum)\b",
        r"\bchat with us\b",
        r"\b(?:our|the show'?s|the podcast'?s) (?:discord|slack|telegram|matrix) (?:channel"
        r"|server|community|team|group|chat)\b",
        r"\b(?:our|the show'?s|the podcast'?s) (?:subreddit|newsletter|mailing list)\b",
        r"\blisten to [\w'’ -]{1,50} (?:at|on):?\s*<url>",
        r"\b(?:get|buy) (?:your )?tickets\b|\bfor tickets\b|\blive shows?\b|\btour dates\b",
        r"\bh[öo]rer(?:innen)?(?:treffen|grillen)\b|\blistener meet",
        r"\b(?:our )?sister (?:podcast|show)\b|\bschwesterpodcast",
        r"\bsubscribe\b",
        r"\brate (?:and|&) review\b",
        r"\b(?:leave|write) (?:us )?an? (?:rating|review)\b",
        r"\bvote for us\b",
        r"\bshare (?:the|this|our) (?:show|episode|podcast)\b",
        r"\b(?:watch|see|listen to) (?:the|this|our) (?:show|podcast|episodes?) on\b",
        r"\bearly access\b",
        r"\bmerch\b",
        r"\b(?:theme|intro|outro|ad) music\b",
        r"\bmusic by\b",
        r"\b(?:artwork|cover art|logo) by\b",
        r"\b(?:edited|mixed) by\b",
        # German, Spanish, French
        r"\bwerbepartner|\bunterst[üu]tz|\bfolgt uns\b|\bgutschein|\brabattcode|\bspende",
        r"\bpatrocinad|\bs[íi]guenos\b|\bsuivez-nous\b|\bsoutenez\b",
    )
    # link texts that are a platform's name say "our page there"
    anchors: tuple[str, ...] = (
        r"^\W*(?:twitter|x|facebook|instagram|youtube|linkedin|mastodon|bluesky|threads|tiktok"
        r"|twitch|discord|slack|reddit|telegram|patreon|ko-?fi|paypal|apple podcasts|itunes"
        r"|spotify|google podcasts|overcast|pocket ?casts|stitcher|castbox|podcast addict"
        r"|rss(?: feed)?|newsletter|e-?mail|website|homepage|google\+|subscribe|support us"
        r"|support the show|support this show|donate)\W*$",
    )
    # link kinds that are always furniture
    kinds: frozenset[str] = frozenset({"support"})
    # kinds whose links are not judged by words, by the show's name or by repetition: a
    # paper stays content whatever sentence it stands in and however often it is cited
    protected_kinds: frozenset[str] = frozenset({"paper", "dataset", "encyclopedia"})
    # kinds the platform-name link text rule applies to
    anchor_kinds: frozenset[str] = frozenset({"site", "social", "podcast", "support"})
    # the page of a person, show or channel: on any site, on sites of these kinds, and (for
    # social and video sites) any one-segment address that is not a post or a video
    profile_paths: tuple[str, ...] = (r"^/@[^/]+$",)
    profile_kind_paths: tuple[str, ...] = (
        r"^$",
        r"^/(?:in|pub|company|school|profile|people|channel|c|user)/[^/]+(?:/.*)?$",
        r"^/(?:users|u|r|groups?|pages?|shows?|podcasts)/[^/]+$",
        r"^/pod/show/[^/]+$",
        r"^(?:/[a-z]{2})?/podcast(?:/[^/]+)?/id\d+$",
    )
    profile_reasons: tuple[tuple[str, str], ...] = (
        ("social", "social profile"),
        ("video", "channel page"),
        ("podcast", "show page"),
    )
    one_segment_profile_kinds: frozenset[str] = frozenset({"social", "video"})
    people_kinds: frozenset[str] = frozenset({"social", "video"})  # profiles of people too
    not_profile_segments: tuple[str, ...] = (
        "watch",
        "playlist",
        "video",
        "videos",
        "shorts",
        "embed",
        "status",
        "statuses",
        "p",
        "reel",
        "events",
        "hashtag",
        "search",
        "explore",
        "post",
        "posts",
        "notes",
        "story",
        "stories",
        "live",
        "clip",
        "clips",
        "e",
        "episode",
        "episodes",
        "results",
    )
    # addresses that are furniture on any site: share buttons, legal pages
    any_paths: tuple[str, ...] = (
        r"^/(?:intent/(?:tweet|post)|share|sharer|sharearticle|sharer\.php)\b",
        r"/(?:privacy|privacy-policy|terms|terms-of-service|tos|legal|cookies?|imprint"
        r"|impressum|datenschutz|do-not-sell[\w-]*)/?$",
    )
    # kinds of sites that host many shows: a show's site there is a page, not the whole site
    platform_kinds: frozenset[str] = frozenset({"podcast", "social", "video", "support"})
    # files that decorate notes or are the episode itself, by the suffix of their address
    file_suffixes: tuple[tuple[str, str], ...] = (
        ("image", "png jpg jpeg gif webp svg ico bmp"),
        ("audio file", "mp3 m4a aac ogg oga opus wav flac"),
    )
    # a label or path segment that is the show's name, or the name with one of these
    name_affixes: tuple[str, ...] = (
        "podcast",
        "pod",
        "fm",
        "show",
        "radio",
        "cast",
        "shop",
        "store",
        "merch",
        "app",
        "the",
        "get",
        "hq",
    )
    min_name_length: int = 4
    # a name this long is the show's also inside a longer path ("/sentimental-garbage-live")
    min_contained_name_length: int = 10
    # repetition: a link in at least this share of the podcast's episodes (those with links),
    # unless it is of a protected kind
    widespread_share: float = 1 / 3
    widespread_min_episodes: int = 5
    # repetition in the same role: near-identical context sentences in this many episodes
    template_share: float = 0.04
    template_min_episodes: int = 3
    template_min_words: int = 3  # words of the sentence beside the link's own text
    template_similarity: float = 0.6  # Jaccard similarity of the sentences' word sets
    # a link found furniture by the rules above in this many episodes is furniture wherever
    # it stands in the podcast
    furniture_min_episodes: int = 2
    # a link standing between two pieces of furniture in this many episodes is furniture
    amid_min_episodes: int = 3


RULES = Rules()


@dataclass(slots=True)
class Mention:
    """What the classifier knows of one mention."""

    id: int
    episode_id: int
    position: int
    link_id: int
    url: str  # canonical
    kind: str  # the link's kind (what the address says, not what resolving found: so the
    # flags depend on the ingested notes alone, whatever was resolved in between)
    heading: str | None  # its section, else its topic's title
    anchor: str
    context: str
    reason: str | None = None


@dataclass
class Show:
    """The podcast a group of mentions belongs to: where its own site is and its names."""

    site: tuple[str, str] | None = None  # (host, path prefix)
    names: set[str] = field(default_factory=set)  # squashed, with affixes: "replyallpodcast"
    long_names: set[str] = field(default_factory=set)  # names found inside a longer path


SPONSOR_CODE = "the show's name in the path (a sponsor's code)"
_URL = re.compile(r"\S*(?:://|www\.)\S*")
_WORD = re.compile(r"[^\W\d_]+")


# ---- the rules for one mention --------------------------------------------------------


JUDGED_AT_MOST = 50_000  # links, and words, a judge remembers; then it starts again


class Judge:
    """The rules for one mention, for one show. A podcast repeats its links, headings and
    sentences, so each is judged once."""

    def __init__(self, show: Show, rules: Rules = RULES):
        self.show, self.rules = show, rules
        self._links: dict[tuple[str, str], tuple[str | None, bool]] = {}
        self._words: dict[tuple, str | None] = {}

    def reason(self, mention: Mention) -> str | None:
        """Why a mention is boilerplate by itself (its link, heading, words), or None."""
        key = (mention.url, mention.kind)
        if key not in self._links:
            if len(self._links) >= JUDGED_AT_MOST:
                self._links.clear()
            self._links[key] = self._link_reason(mention.url, mention.kind)
        reason, by_words = self._links[key]
        if reason or not by_words:
            return reason
        said = (mention.heading, mention.context, mention.anchor, mention.kind, mention.url)
        if said not in self._words:
            if len(self._words) >= JUDGED_AT_MOST:
                self._words.clear()
            self._words[said] = self._words_reason(mention)
        return self._words[said]

    def _link_reason(self, url: str, kind: str) -> tuple[str | None, bool]:
        """A reason from the link alone, and whether its words may still give one."""
        rules, show = self.rules, self.show
        if kind in rules.kinds:
            return f"{kind} link", False
        parts = urlsplit(url)
        host, path = _host(url), parts.path.rstrip("/").lower()
        if _any(rules.any_paths).search(path):
            return "share or legal page", False
        protected = kind in rules.protected_kinds
        suffix = path.rpartition(".")[2] if "." in path.rpartition("/")[2] else ""
        for what, suffixes in rules.file_suffixes:
            if not protected and suffix in suffixes.split():
                return f"an {what}", False
        own = show.site and host == show.site[0] and (path + "/").startswith(show.site[1])
        if own and not protected:
            return "the show's own site", False
        profile = _profile_reason(kind, path, rules)
        if profile or protected:
            return profile, False
        if _names_show(host.split(".")[:-1], show):
            return "the show's name in the address", False
        if _names_show(path.split("/"), show):
            return SPONSOR_CODE, False
        if any(name in _squash(path) for name in show.long_names):
            return "the show's name in the address", False
        return None, True

    def _words_reason(self, mention: Mention) -> str | None:
        """A reason from the heading a mention stands under, its sentence or its link text."""
        rules = self.rules
        if mention.heading and _search(_any(rules.headings), mention.heading):
            return f"under {_quoted(mention.heading)}"
        found = _search(_any(rules.contexts), _URL.sub(" <url> ", mention.context))
        if found:
            return f"says {_quoted(found)}"
        if (
            mention.kind in rules.anchor_kinds
            and _search(_any(rules.anchors), mention.anchor)
            and _squash(mention.anchor) not in _squash(_host(mention.url))
        ):
            return f"link text {_quoted(mention.anchor)}"
        return None


def own_reason(mention: Mention, show: Show, rules: Rules = RULES) -> str | None:
    """Why a mention is boilerplate by itself (its link, heading, words), or None."""
    return Judge(show, rules).reason(mention)


def _profile_reason(kind: str, path: str, rules: Rules) -> str | None:
    """Why an address is the page of a person, show or channel, or None."""
    reasons = dict(rules.profile_reasons)
    if _any(rules.profile_paths).search(path):
        return reasons.get(kind, "profile")
    if kind not in reasons:
        return None
    segments = path.strip("/").split("/")
    one_segment = (
        kind in rules.one_segment_profile_kinds
        and len(segments) == 1
        and segments[0] not in rules.not_profile_segments
        and not segments[0].isdigit()
    )
    return reasons[kind] if one_segment or _any(rules.profile_kind_paths).search(path) else None


def _quoted(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= most else text[: most - 1] + '…'}'"


def _names_show(parts: list[str], show: Show) -> bool:
    """True when one of the parts (host labels, path segments) is the show's name, with or
    without an affix."""
    return any(_squash(part) in show.names for part in parts)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def show_for(title: str | None, site_url: str | None, rules: Rules = RULES) -> Show:
    """The show's own site (host and path prefix) and the forms of its name."""
    show = Show()
    found = identify(site_url) if site_url else None
    if found and found.canonical_url:
        parts = urlsplit(found.canonical_url)
        prefix = parts.path.rstrip("/").lower() + "/"
        if prefix != "/" or found.kind not in rules.platform_kinds:  # not a whole platform
            show.site = ((parts.hostname or "").removeprefix("www."), prefix)
    name = _squash(title or "")
    label = show.site[0].split(".")[0] if show.site and show.site[1] == "/" else ""
    for base in {name, name.removeprefix("the"), _squash(label)}:
        if len(base) >= rules.min_name_length:
            show.names.add(base)
            if len(base) >= rules.min_contained_name_length:
                show.long_names.add(base)
            show.names.update(n for a in rules.name_affixes for n in (base + a, a + base))
    return show


# ---- the podcast-wide rules -------------------------------------------------------------


class _Codes:
    """Small integers for repeated values (reasons, word sets), so that a podcast's mentions
    are kept as arrays of numbers."""

    def __init__(self, *first: object):
        self.values: list = list(first)
        self._codes = {value: n for n, value in enumerate(first)}

    def code(self, value: object) -> int:
        if value not in self._codes:
            self._codes[value] = len(self.values)
            self.values.append(value)
        return self._codes[value]


class Podcast:
    """The podcast-wide rules. Mentions are added one at a time, in order of episode and
    position; only numbers are kept for each, so a podcast of a million mentions fits in a
    few tens of megabytes."""

    def __init__(
        self, show: Show, link_episodes: dict[int, int], episodes: int, rules: Rules = RULES
    ):
        self.rules, self.judge = rules, Judge(show, rules)
        self.link_episodes = link_episodes  # the number of episodes citing each link
        self.episodes = episodes  # the number of episodes with mentions
        self.needed = max(rules.template_min_episodes, math.ceil(rules.template_share * episodes))
        self.reasons = _Codes(None)  # code 0: content
        self.sentences = _Codes()
        self.ids, self.episode, self.link = array("q"), array("q"), array("q")
        self.reason, self.sentence = array("l"), array("l")
        self.protected: set[int] = set()  # links of kinds never judged by repetition
        self.homes: dict[int, str] = {}  # links to a site's home page: their host
        self.sponsors: set[str] = set()  # hosts of sponsors' code addresses

    def add(self, mention: Mention) -> None:
        """Judge a mention by itself and keep what the podcast-wide rules need of it."""
        reason = self.judge.reason(mention)
        link = mention.link_id
        if reason == SPONSOR_CODE:
            self.sponsors.add(_host(mention.url))
        if mention.kind in self.rules.protected_kinds:
            self.protected.add(link)
        if _is_home(mention.url):
            self.homes[link] = _host(mention.url)
        sentence = -1
        if link not in self.protected and self.link_episodes[link] >= self.needed:
            words = _sentence_words(mention)
            if len(words) >= self.rules.template_min_words:
                sentence = self.sentences.code(words)
        self.ids.append(mention.id)
        self.episode.append(mention.episode_id)
        self.link.append(link)
        self.reason.append(self.reasons.code(reason))
        self.sentence.append(sentence)

    def verdicts(self) -> Iterator[tuple[int, str | None]]:
        """Each mention's id and reason (None for content), in the order they were added."""
        self._sponsor_home_pages()
        furniture = self._episodes_where(lambda i: self.reason[i] != 0)
        by_link = {
            **self._elsewhere(furniture, "furniture", self.rules.furniture_min_episodes),
            **self._widespread(),
        }
        alike = self._alike_sentences(decided=by_link.keys())
        for i, link in enumerate(self.link):
            if self.reason[i] == 0:
                if link in by_link:
                    self.reason[i] = by_link[link]
                elif alike.get((link, self.sentence[i]), 0) >= self.needed:
                    found = alike[link, self.sentence[i]]
                    self.reason[i] = self.reasons.code(f"same sentence in {found} episodes")
        amid = self._elsewhere(
            self._amid_furniture(), "amid furniture", self.rules.amid_min_episodes
        )
        for i, link in enumerate(self.link):
            if self.reason[i] == 0 and link in amid:
                self.reason[i] = amid[link]
        return ((self.ids[i], self.reasons.values[r]) for i, r in enumerate(self.reason))

    def _sponsor_home_pages(self) -> None:
        """The home page of a site with an address naming the show in its path (a sponsor's
        ``example.com/showname``) is the sponsor's too."""
        homes = {link for link, host in self.homes.items() if host in self.sponsors}
        code = self.reasons.code("a sponsor's home page")
        for i, link in enumerate(self.link):
            if self.reason[i] == 0 and link in homes:
                self.reason[i] = code

    def _episodes_where(self, test) -> dict[int, int]:
        """For each link, the number of episodes with a mention of it that passes ``test``
        (given a mention's index); mentions come in order of episode."""
        last: dict[int, int] = {}
        counts: dict[int, int] = defaultdict(int)
        for i, link in enumerate(self.link):
            if test(i) and last.get(link) != self.episode[i]:
                last[link] = self.episode[i]
                counts[link] += 1
        return counts

    def _elsewhere(self, counts: dict[int, int], what: str, minimum: int) -> dict[int, int]:
        """Links furniture (or amid furniture) in most of the several episodes they are in,
        at least ``minimum``: furniture throughout. Returns their reasons' codes."""
        return {
            link: self.reasons.code(f"{what} in {count} of its {self.link_episodes[link]} episodes")
            for link, count in counts.items()
            if count >= minimum and count * 2 > self.link_episodes[link]
        }

    def _widespread(self) -> dict[int, int]:
        """Links in a large share of the podcast's episodes say nothing about any one of them;
        a paper cited that often is what the show is about, so papers are left alone."""
        rules = self.rules
        least = max(rules.widespread_min_episodes, rules.widespread_share * self.episodes)
        return {
            link: self.reasons.code(f"in {count} of {self.episodes} episodes")
            for link, count in self.link_episodes.items()
            if count >= least and link not in self.protected
        }

    def _alike_sentences(self, decided: Collection[int]) -> dict[tuple[int, int], int]:
        """For each link and sentence, the number of episodes where the link stands in that
        sentence or one nearly like it; not for the links ``decided`` already (boilerplate
        throughout, whatever their sentences: a link in every episode of a long show, in a
        sentence a little different each time, would make thousands of pairs alike)."""
        found: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        for i, sentence in enumerate(self.sentence):
            if sentence >= 0 and self.link[i] not in decided:
                found[self.link[i]][sentence].add(self.episode[i])
        alike = {}
        words = self.sentences.values
        for link, sentences in found.items():
            codes = list(sentences)
            similar = similar_sets([words[code] for code in codes], self.rules.template_similarity)
            for index, code in enumerate(codes):
                episodes = set().union(*(sentences[codes[other]] for other in similar[index]))
                alike[link, code] = len(episodes)
        return alike

    def _amid_furniture(self) -> dict[int, int]:
        """For each link, the number of episodes where a mention of it that is not furniture
        stands between two that are (a show's list of sponsors or apps). A person's
        profiles do not count: a guest's book stands between their profiles."""
        rules = self.rules
        people = {r for kind, r in rules.profile_reasons if kind in rules.people_kinds}
        other = {self.reasons.code(r) for r in (*people, "profile")} | {0}
        episode, reason = self.episode, self.reason
        return self._episodes_where(
            lambda i: (
                reason[i] == 0
                and 0 < i < len(reason) - 1
                and episode[i - 1] == episode[i] == episode[i + 1]
                and reason[i - 1] not in other
                and reason[i + 1] not in other
            )
        )


def classify(mentions: list[Mention], show: Show, rules: Rules = RULES) -> None:
    """Set ``reason`` on every mention of one podcast that is boilerplate."""
    ordered = sorted(mentions, key=lambda m: (m.episode_id, m.position))
    pairs = {(m.link_id, m.episode_id) for m in ordered}
    link_episodes = Counter(link for link, _ in pairs)
    podcast = Podcast(show, link_episodes, len({m.episode_id for m in ordered}), rules)
    for mention in ordered:
        podcast.add(mention)
    reasons = dict(podcast.verdicts())
    for mention in mentions:
        mention.reason = reasons[mention.id]


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _sentence_words(mention: Mention) -> frozenset[str]:
    """The words of a mention's context besides those of its link text and address."""
    own = set(_WORD.findall(f"{mention.anchor} {mention.url}".lower()))
    text = _URL.sub(" ", mention.context.lower())
    return frozenset(w for w in _WORD.findall(text) if w not in own)


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)


def similar_sets(sets: list[frozenset[str]], threshold: float) -> list[list[int]]:
    """For each set, the sets (itself included) of Jaccard similarity ``threshold`` or more.

    A prefix-filtered similarity join: with words ordered rarest first, two sets that similar
    share a word among the first ``n - ceil(threshold * n) + 1`` words of each, so only sets
    sharing such a word are compared: near-linear where comparing every pair (a link in
    thousands of episodes, each sentence different) is quadratic.
    """
    frequency = Counter(word for words in sets for word in words)
    similar: list[list[int]] = [[index] for index in range(len(sets))]
    holding: dict[str, list[int]] = defaultdict(list)  # word -> sets with it in their prefix
    for index in sorted(range(len(sets)), key=lambda i: len(sets[i])):
        words = sets[index]
        size = len(words)
        least = threshold * size - 1e-9  # a set this much smaller cannot be similar enough
        prefix = sorted(words, key=lambda word: (frequency[word], word))
        prefix = prefix[: size - math.ceil(threshold * size - 1e-9) + 1]
        candidates = {other for word in prefix for other in holding[word]}
        for other in candidates:
            if len(sets[other]) >= least and _similarity(words, sets[other]) >= threshold:
                similar[index].append(other)
                similar[other].append(index)
        for word in prefix:
            holding[word].append(index)
    return similar


# ---- the store ------------------------------------------------------------------------


# A podcast's links, as its notes and pages give them: what the transcripts say is no notes.
_GROUP = (
    "FROM episodes e JOIN mentions m ON m.episode_id = e.id "
    "WHERE e.podcast_id IS ? AND m.via IS NOT 'spoken'"
)
_GROUP_MENTIONS = """
    SELECT m.id, m.episode_id, m.position, m.link_id, l.url_canonical, l.kind,
           coalesce(m.section, t.title), coalesce(m.anchor_text, ''), coalesce(m.context, ''),
           m.boilerplate, m.boilerplate_reason
    FROM episodes e
    JOIN mentions m ON m.episode_id = e.id
    JOIN links l ON l.id = m.link_id
    LEFT JOIN topics t ON t.id = m.topic_id
    WHERE e.podcast_id IS ? AND m.via IS NOT 'spoken'
    ORDER BY m.episode_id, m.position, m.id"""


def pending_podcasts(conn: sqlite3.Connection) -> list[int | None]:
    """The podcasts (None: episodes without one) that have unclassified mentions."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT e.podcast_id FROM mentions m JOIN episodes e ON e.id = m.episode_id "
            "WHERE m.boilerplate IS NULL"
        )
    ]


def classify_pending(conn: sqlite3.Connection, rules: Rules = RULES) -> int:
    """Classify every podcast with unclassified mentions; returns how many. Call inside a
    write transaction."""
    podcasts = pending_podcasts(conn)
    for podcast_id in podcasts:
        classify_podcast(conn, podcast_id, rules)
    return len(podcasts)


def classify_podcast(
    conn: sqlite3.Connection, podcast_id: int | None, rules: Rules = RULES
) -> None:
    """Classify every mention of one podcast and store the flags that changed. The mentions
    are read as a stream and written back in batches: memory stays small for any podcast."""
    row = conn.execute(
        "SELECT title, site_url FROM podcasts WHERE id = ?", (podcast_id,)
    ).fetchone()
    show = show_for(row[0], row[1], rules) if row else Show()
    link_episodes = dict(
        conn.execute(
            f"SELECT m.link_id, count(DISTINCT m.episode_id) {_GROUP} GROUP BY m.link_id",
            (podcast_id,),
        )
    )
    episodes = conn.execute(f"SELECT count(DISTINCT m.episode_id) {_GROUP}", (podcast_id,))
    podcast = Podcast(show, link_episodes, episodes.fetchone()[0], rules)
    stored = _Codes(None)  # the flags stored now: -1 unclassified, 0 content, else a reason
    before = array("l")
    for values in conn.execute(_GROUP_MENTIONS, (podcast_id,)):
        podcast.add(Mention(*values[:9]))
        before.append(-1 if values[9] is None else stored.code(values[10] if values[9] else None))
    conn.executemany(
        "UPDATE mentions SET boilerplate = ?, boilerplate_reason = ? WHERE id = ?",
        (
            (int(reason is not None), reason, mention_id)
            for (mention_id, reason), old in zip(podcast.verdicts(), before, strict=True)
            if old == -1 or stored.values[old] != reason
        ),
    )
