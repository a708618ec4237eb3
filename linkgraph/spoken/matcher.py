"""Finding the works a transcript speaks of: identifiers, titles, aliases, author-year
phrases, and the show's episodes by their guest or subject.

One Aho-Corasick automaton holds every name of every known work (its core words), the
guests and subjects of podcast episodes, and, for titles of four naming words or more, a few
three-word seeds; one pass over a transcript's folded words finds every exact name, every
guest or subject, and every place a title may be said approximately, which
rapidfuzz then aligns word by word. Each match is scored (see ``confidence``) and kept
when it reaches the threshold for its work: lower for works the episode's own notes link,
stricter for works known from elsewhere.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ahocorasick
from rapidfuzz.distance import Levenshtein

from ..model import Segment
from ..readers.textutil import find_urls, sentence_around
from .authors import find_author_phrases, surname_key
from .episodes import (
    EPISODE_CONFIDENCE,
    EpisodeKey,
    conversed_with,
    episode_keys,
    near_episode_noun,
)
from .identifiers import find_identifiers
from .known import KnownWork, Name, core_words, credited_authors, names_of
from .scoring import (
    Candidate,
    Context,
    citing_phrases,
    confidence,
    named_phrases,
    quoted_phrases,
)
from .words import STOPWORDS, Tokens, content_words, fold_phrase, tokenize

CITABLE_KINDS = frozenset({"paper", "post", "video", "code", "dataset", "podcast"})
LINKED_THRESHOLD = 0.5
DISCOVERY_THRESHOLD = 0.8
CITED_PART = 0.85  # part of one work's name, said between a pointer and a citing noun
SEED_WORDS = 3
_FUZZY_MIN = 0.8  # share of a title's weight an approximate match must say, in order


@dataclass(frozen=True)
class SpokenReference:
    """A work a transcript speaks of, with the words that name it and where they stand."""

    work_id: int | None  # None for an identifier no known work has
    identifier: str | None  # the standard id, when one was said
    confidence: float
    matched: str  # the words as they stand in the transcript
    sentence: str
    segment: int  # index into the transcript's segments
    speaker: str | None
    start: float | None
    topic: str | None
    rule: str  # "identifier", "title", "alias", "author-year" or "episode"


@dataclass(slots=True)
class _Entry:
    words: int
    length: int  # characters of the pattern, spaces included
    names: list[Name]
    seeds: list[tuple[Name, int]]  # a title and where in it the seed starts
    episodes: list[EpisodeKey]  # podcast episodes these words name beside "episode"


class SpokenMatcher:
    """The names, ids and authors of the works a store knows, ready to match transcripts."""

    def __init__(
        self,
        works: Iterable[KnownWork],
        entities: Iterable[str] = (),
        kinds: frozenset[str] = CITABLE_KINDS,
    ):
        """Works of the ``kinds`` are matched, unless they are a whole site (a home page
        names a site, it cites no work). ``entities`` are names of people and organisations:
        no work goes by them."""
        self.works = {work.work_id: work for work in works if work.kind in kinds and not work.site}
        self._by_id = {ident: work.work_id for work in self.works.values() for ident in work.ids}
        self._by_author: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for work in self.works.values():
            for position, author in enumerate(work.authors):
                self._by_author[surname_key(author)].append((work.work_id, position))
        self._surnames = {  # said nearby, they support a match (see ``scoring.support``)
            work.work_id: {
                surname_key(person) for person in (*work.authors, *credited_authors(work.aliases))
            }
            for work in self.works.values()
        }
        self.names: dict[tuple[str, ...], Name] = {}
        self._entities = frozenset(core_words(entity) for entity in entities)
        for work in self.works.values():
            for name in names_of(work, self._entities):
                self._remember(name)
        self._episode_keys = episode_keys(self.works.values(), self._entities)
        self._spoken: Callable[[tuple[str, ...]], int] = lambda words: 0
        self._automaton = self._build()
        self._containing: dict[str, list[Name]] = defaultdict(list)
        for name in self.names.values():
            for word in set(content_words(name.words)):
                self._containing[word].append(name)

    def _remember(self, name: Name) -> None:
        known = self.names.get(name.words)
        if known is None:
            self.names[name.words] = name
            return
        known.works |= name.works
        known.linked += name.linked
        if name.source == "title" and known.source != "title":
            known.source, known.written = "title", name.written
        known.fuzzy = known.fuzzy or name.fuzzy
        known.acronym = known.acronym and name.acronym
        known.coined = known.coined and name.coined
        known.casual = known.casual and name.casual

    def _build(self) -> ahocorasick.Automaton:
        entries: dict[str, _Entry] = {}

        def entry(words: tuple[str, ...]) -> _Entry:
            key = " " + " ".join(words) + " "
            if key not in entries:
                entries[key] = _Entry(len(words), len(key), [], [], [])
            return entries[key]

        frequency = Counter(word for words in self.names for word in set(words))
        for words, name in self.names.items():
            entry(words).names.append(name)
            if name.fuzzy:
                for offset in _seed_offsets(words, frequency):
                    entry(words[offset : offset + SEED_WORDS]).seeds.append((name, offset))
        for episode in self._episode_keys:
            entry(episode.words).episodes.append(episode)
        automaton = ahocorasick.Automaton()
        for key, value in entries.items():
            automaton.add_word(key, value)
        if entries:
            automaton.make_automaton()
        return automaton

    # ---- what the store's other transcripts say ----------------------------------------

    def names_said(self, transcript: list[Segment]) -> set[tuple[str, ...]]:
        """The names a transcript says word for word (for counting with ``set_spoken``)."""
        return {name.words for name, _, _ in self._exact(tokenize(_document(transcript)[0]))}

    def set_spoken(self, counts: Callable[[tuple[str, ...]], int]) -> None:
        """Tell in how many of the store's transcripts each name is said, linked or not:
        ``counts(words)`` answers for a name's folded words.

        A name said in far more episodes than link its work under it is an ordinary phrase
        of the field ("debate", "mechanistic interpretability"): it needs support from its
        context.
        """
        self._spoken = counts

    # ---- finding references ------------------------------------------------------------

    def find(
        self,
        transcript: list[Segment],
        linked: Iterable[int] = (),
        linked_threshold: float = LINKED_THRESHOLD,
        discovery_threshold: float = DISCOVERY_THRESHOLD,
        heard: str | None = None,
    ) -> list[SpokenReference]:
        """The references a transcript makes, at most one per work and segment.

        ``linked`` are the works the episode's own notes link: found at the lower
        threshold; any other known work must reach the stricter one. ``heard`` is the
        episode's title: the people it names, like its speakers, take part in it and are no
        guest of another episode here. A work is referred to where it is first named;
        later, only where it is named as a work again (the context supports it, or a long
        title is said), not each time the idea it is named after comes up ("induction
        heads" in an episode about them).
        """
        linked = set(linked)
        text, offsets = _document(transcript)
        words = _without_urls(text)  # a URL written out is no name said
        tokens = tokenize(words)
        context = Context(words, tokens)
        hits = list(self._hits(tokens))
        present = _present(transcript, heard)
        candidates = [
            *self._name_candidates(hits, tokens, context, linked),
            *self._episode_candidates(hits, tokens, linked, present),
            *self._cited_part_candidates(tokens, context, linked),
            *self._identifier_candidates(text),
            *self._author_candidates(words, linked),
        ]
        kept: dict[tuple[int | None, str | None, int], SpokenReference] = {}
        named: set[int | None] = set()
        for candidate in sorted(_without_overlaps(candidates), key=lambda c: c.start):
            limit = linked_threshold if candidate.work_id in linked else discovery_threshold
            if candidate.confidence < limit:
                continue
            if candidate.work_id in named and not candidate.repeatable:
                continue
            named.add(candidate.work_id)
            segment = bisect.bisect_right(offsets, candidate.start) - 1
            key = (candidate.work_id, candidate.identifier, segment)
            if key in kept and kept[key].confidence >= candidate.confidence:
                continue
            said = transcript[segment]
            kept[key] = SpokenReference(
                candidate.work_id,
                candidate.identifier,
                round(candidate.confidence, 3),
                text[candidate.start : candidate.end],
                sentence_around(text, candidate.start, candidate.end),
                segment,
                said.speaker,
                said.start,
                said.topic,
                candidate.rule,
            )
        return sorted(kept.values(), key=lambda ref: (ref.segment, -ref.confidence))

    def _exact(self, tokens: Tokens) -> Iterable[tuple[Name, int, int]]:
        """Every name said word for word: (name, first word, word after the last)."""
        for first, end, entry in self._hits(tokens):
            for name in entry.names:
                yield name, first, end

    def _hits(self, tokens: Tokens) -> Iterable[tuple[int, int, _Entry]]:
        if not len(self._automaton) or not tokens.words:
            return
        # Each hit ends on the space after its last word, and hits come in the order they
        # end: the spaces counted so far say which word that is.
        joined = tokens.joined
        spaces, counted = 0, 0
        for last_char, entry in self._automaton.iter(joined):
            spaces += joined.count(" ", counted, last_char + 1)
            counted = last_char + 1
            end = spaces - 1  # the space before the first word is no word's end
            yield end - entry.words, end, entry

    def _name_candidates(
        self,
        hits: list[tuple[int, int, _Entry]],
        tokens: Tokens,
        context: Context,
        linked: set[int],
    ) -> Iterable[Candidate]:
        exact: set[tuple[int, int]] = set()
        seeded: list[tuple[Name, int]] = []
        for first, end, entry in hits:
            for name in entry.names:
                exact.add((id(name), first))
                yield from self._scored(name, first, end, 1.0, len(name.words), context, linked)
            for name, offset in entry.seeds:
                seeded.append((name, first - offset))
        tried: set[tuple[int, int]] = set()
        for name, start in seeded:
            key = (id(name), start)
            if key in exact or key in tried:
                continue
            tried.add(key)
            aligned = _align(name.words, tokens.words, start)
            if aligned:
                first, end, quality, said, cut = aligned
                yield from self._scored(name, first, end, quality, said, context, linked, cut)

    def _scored(
        self,
        name: Name,
        first: int,
        end: int,
        quality: float,
        said_words: int,
        context: Context,
        linked: set[int],
        cut: bool = False,
    ) -> Iterable[Candidate]:
        works = name.works & linked if len(name.works) > 1 else name.works
        if len(works) != 1:
            works = {w for w in name.works if self._surnames[w] & context.near_words(first, end)}
        if len(works) != 1:
            return  # a name several works go by, and nothing to tell which is meant
        (work_id,) = works
        work = self.works[work_id]
        score, explicit = confidence(
            name,
            first,
            end,
            quality,
            said_words,
            context,
            spoken=self._spoken(name.words),
            surnames=self._surnames[work_id],
            year=work.year,
            site=work.site,
            cut=cut,
        )
        if score > 0:
            yield Candidate(
                work_id,
                None,
                score,
                context.tokens.starts[first],
                context.tokens.ends[end - 1],
                name.source,
                repeatable=explicit or name.content > 3,
            )

    def _episode_candidates(
        self,
        hits: list[tuple[int, int, _Entry]],
        tokens: Tokens,
        linked: set[int],
        present: Callable[[tuple[str, ...]], bool],
    ) -> Iterable[Candidate]:
        """Podcast episodes said by their guest or subject beside a word for an episode
        (see ``episodes``); a guest ``present`` in this episode names none."""
        for first, end, entry in hits:
            keys = [k for k in entry.episodes if not (k.person and present(k.words))]
            if len({key.work_id for key in keys}) > 1:
                keys = [key for key in keys if key.work_id in linked]
            if len({key.work_id for key in keys}) != 1:
                continue
            key = keys[0]
            if near_episode_noun(tokens, first, end, key.number) or (
                key.person and conversed_with(tokens, first)
            ):
                start, stop = tokens.starts[first], tokens.ends[end - 1]
                yield Candidate(key.work_id, None, EPISODE_CONFIDENCE, start, stop, "episode", True)

    def _cited_part_candidates(
        self, tokens: Tokens, context: Context, linked: set[int]
    ) -> Iterable[Candidate]:
        """Part of a name, said as a work's name: "the Future Task paper" for "Avoiding Side
        Effects by Considering Future Tasks", "the interpretability illusions paper".

        The words between a pointer ("the", "this", "their" ...) and a citing noun, in
        quotation marks ("the 'sharp left turn'"), or making the clause after a verb that
        names ("what you call the obfuscated arguments problem"), that are a stretch of one
        name (see ``_work_named_by_part``). An episode's title is its subject and guest: a
        term "called" so is no episode.
        """
        for part, first, end in [*citing_phrases(context), *quoted_phrases(context)]:
            work_id = self._work_named_by_part(part, first, end, context, linked)
            if work_id is not None:
                start, stop = tokens.starts[first], tokens.ends[end - 1]
                yield Candidate(work_id, None, CITED_PART, start, stop, "alias", True)
        for part, first, end in named_phrases(context):
            work_id = self._work_named_by_part(part, first, end, context, linked)
            if work_id is not None and self.works[work_id].kind != "podcast":
                start, stop = tokens.starts[first], tokens.ends[end - 1]
                yield Candidate(work_id, None, CITED_PART, start, stop, "alias", True)

    def _work_named_by_part(
        self, part: tuple[str, ...], first: int, end: int, context: Context, linked: set[int]
    ) -> int | None:
        """The one work whose name ``part`` is a stretch of (two naming words at least, and no
        person's name), the episode's own links or an author said nearby telling between
        several; else None."""
        if len(content_words(part)) < 2 or part in self._entities:
            return None
        rarest = min(part, key=lambda word: len(self._containing.get(word, ())) or 10**9)
        works = {
            work_id
            for name in self._containing.get(rarest, ())
            if _holds(name.words, part)
            for work_id in name.works
        }
        if len(works) > 1 and works & linked:
            works &= linked
        if len(works) > 1:
            near = context.near_words(first, end)
            works = {work_id for work_id in works if self._surnames[work_id] & near}
        return next(iter(works)) if len(works) == 1 else None

    def _identifier_candidates(self, text: str) -> Iterable[Candidate]:
        for found in find_identifiers(text):
            work_id = self._by_id.get(found.id)
            yield Candidate(work_id, found.id, 0.99, found.start, found.end, "identifier", True)

    def _author_candidates(self, text: str, linked: set[int]) -> Iterable[Candidate]:
        for phrase in find_author_phrases(text):
            works = {
                work_id
                for work_id, position in self._by_author.get(phrase.surname, ())
                if position == 0 or not phrase.first_author
            }
            if phrase.year:
                works = {w for w in works if self.works[w].year == phrase.year}
            if phrase.second:
                works = {w for w in works if phrase.second in self._surnames[w]}
            if len(works) > 1 and works & linked:
                works &= linked
            if len(works) != 1:
                continue
            score = 0.8 + 0.1 * bool(phrase.year) + 0.05 * bool(phrase.second)
            yield Candidate(works.pop(), None, score, phrase.start, phrase.end, "author-year", True)


def _present(transcript: list[Segment], title: str | None) -> Callable[[tuple[str, ...]], bool]:
    """Whether a person takes part in the episode heard: one of its speakers, or named by
    its title ("... with Vanessa Kosoy", when the transcript names no speakers)."""
    speakers = {fold_phrase(segment.speaker) for segment in transcript if segment.speaker}
    titled = fold_phrase(title or "")
    return lambda person: person in speakers or _holds(titled, person)


def _holds(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` stands in ``words`` as one stretch."""
    size = len(part)
    return any(words[i : i + size] == part for i in range(len(words) - size + 1))


def _seed_offsets(words: tuple[str, ...], frequency: Counter[str]) -> list[int]:
    """Where a title's seeds start: its opening words, and its two rarest stretches.

    A seed has at least two words that name something, so that "in the" never is one.
    """
    usable = [
        offset
        for offset in range(len(words) - SEED_WORDS + 1)
        if len(content_words(words[offset : offset + SEED_WORDS])) >= 2
    ]
    if not usable:
        return []
    rarest = sorted(
        usable, key=lambda offset: sum(frequency[w] for w in words[offset : offset + SEED_WORDS])
    )
    return sorted({usable[0], *rarest[:2]})


def _align(
    title: tuple[str, ...], words: list[str], start: int
) -> tuple[int, int, float, int, bool] | None:
    """A title said approximately where a seed puts it: (first, end, quality, words said,
    whether it is cut short).

    The title's words are aligned with the words around the seed; quality is the share of
    the title's weight said, in order, less the words said in between. A title cut short
    counts when its opening says three words that name something, with lower quality; it
    ends on a word that names something ("mechanistic anomaly detection and" is cut at
    "detection").
    """
    low = max(0, start - 2)
    window = words[low : max(low, start + len(title) + 2)]
    pairs = [
        (block.src_start + k, block.dest_start + k)
        for block in Levenshtein.opcodes(list(title), window)
        if block.tag == "equal"
        for k in range(block.src_end - block.src_start)
    ]
    while pairs and title[pairs[-1][0]] in STOPWORDS and pairs[-1][0] < len(title) - 1:
        pairs.pop()
    if not pairs:
        return None
    weights = [1.0 if word not in STOPWORDS else 0.25 for word in title]
    said_weight = sum(weights[t] for t, _ in pairs)
    first, last = pairs[0][1], pairs[-1][1]
    unsaid = pairs[-1][0] - pairs[0][0] + 1 - len(pairs)  # title words left out in between
    added = max(0, last - first + 1 - len(pairs) - unsaid)  # words said in no title word's place
    tightness = len(pairs) / (len(pairs) + added)
    quality = said_weight / sum(weights) * tightness
    if quality < _FUZZY_MIN:
        opening = pairs[-1][0] + 1
        said_opening = said_weight / sum(weights[:opening])
        if len(content_words(title[:opening])) < 3 or said_opening * tightness < 0.9:
            return None
        return (
            low + first,
            low + last + 1,
            0.75 + 0.25 * said_weight / sum(weights),
            len(pairs),
            True,
        )
    return low + first, low + last + 1, quality, len(pairs), False


def _without_urls(text: str) -> str:
    """The text with every URL written in it blanked out, so words keep their places."""
    if "://" not in text:
        return text
    parts, last = [], 0
    for url in find_urls(text):
        parts += [text[last : url.start], " " * (url.end - url.start)]
        last = url.end
    return "".join([*parts, text[last:]])


def _document(transcript: list[Segment]) -> tuple[str, list[int]]:
    """The transcript's text in one string, and where each segment starts in it."""
    offsets, parts, length = [], [], 0
    for segment in transcript:
        offsets.append(length)
        parts.append(segment.text)
        length += len(segment.text) + 1
    return "\n".join(parts), offsets


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """The best candidate for each stretch of text: higher confidence, then longer, wins."""
    ranked = sorted(candidates, key=lambda c: (-c.confidence, -(c.end - c.start)))
    taken: list[tuple[int, int, int | None]] = []
    kept = []
    for candidate in ranked:
        clash = any(
            candidate.start < end and start < candidate.end and work != candidate.work_id
            for start, end, work in taken
        )
        if not clash:
            kept.append(candidate)
            taken.append((candidate.start, candidate.end, candidate.work_id))
    return kept
