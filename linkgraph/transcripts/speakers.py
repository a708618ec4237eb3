"""Speaker names written before what they said: ``Name:``, ``**Name:**``, ``Name (00:12):``."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..readers.textutil import parse_timestamp

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# A name: one to four words, each starting with a capital (or a digit, "Speaker 1"), with
# initials, hyphens and apostrophes; "Dr." and "Jr." too.
_NAME = r"[^\W\d_][\w.'’-]*(?:\s+[^\W_][\w.'’-]*){0,3}"
_PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "da", "di", "du", "al", "bin", "le", "la"}
)
# "[00:12:34]" or "(1:02:03)" or a bare "00:12:34" first on a line.
_LEADING_TIME = re.compile(rf"^\s*[\[(]?(?P<time>{_TIME})[\])]?\s*(?:[-–—|]\s*)?")
# "**Name:**", "Name:", "Name (00:12:34):", "Name [12:34]:", "**Name** (12:34):".
_SPEAKER = re.compile(
    rf"^(?P<bold>\*\*|__)?(?P<name>{_NAME})(?P=bold)?"
    rf"(?:\s*[\[(](?P<time>{_TIME})[\])])?\s*:(?:\*\*|__)?(?:\s+|$)"
    rf"|^(?P<bold2>\*\*|__)(?P<name2>{_NAME}):(?P=bold2)(?:\s+|$)"
)
# Otter and similar exports: "Name  0:03" alone on a line, the words on the lines below.
_NAME_THEN_TIME = re.compile(rf"^(?P<name>{_NAME})\s+(?P<time>{_TIME})\s*$")
MAX_NAME_CHARS = 40
_TIME_OPENINGS = frozenset("[(0123456789")


@dataclass(frozen=True)
class Lead:
    """What stands before the words of a line: a speaker, a time, and where the words begin."""

    speaker: str | None
    start: float | None
    rest: str
    unnamed: str = ""  # the line without its leading time, for a name that is no speaker

    def words(self, speakers: set[str]) -> str:
        """What was said on the line, given the names that really are speakers."""
        return self.rest if self.speaker in speakers else self.unnamed


def parse_lead(line: str) -> Lead:
    """Split a leading time and speaker off a line of a transcript."""
    start = None
    # each pattern only where it can match (most lines are words said): a time first, a
    # time last, a colon
    timed = _LEADING_TIME.match(line) if line.lstrip()[:1] in _TIME_OPENINGS else None
    if timed:
        seconds = parse_timestamp(timed.group("time").replace(",", "."))
        if seconds is not None:
            start, line = seconds, line[timed.end() :]
    alone = _NAME_THEN_TIME.match(line) if line.rstrip()[-1:].isdigit() else None
    if alone and _is_name(alone.group("name")):
        seconds = parse_timestamp(alone.group("time").replace(",", "."))
        if seconds is not None:
            return Lead(alone.group("name"), seconds, "", line)  # nothing said on the line
    said = _SPEAKER.match(line) if ":" in line else None
    if said:
        name = said.group("name") or said.group("name2")
        if _is_name(name):
            time = said.group("time")
            if time and start is None:
                start = parse_timestamp(time.replace(",", "."))
            return Lead(name.strip(), start, line[said.end() :], line)
    return Lead(None, start, line, line)


def _is_name(name: str) -> bool:
    """Whether words read as a name: short, each word capitalised (or a number, a particle)."""
    words = name.split()
    return (
        len(name) <= MAX_NAME_CHARS
        and all(word[0].isupper() or word[0].isdigit() or word in _PARTICLES for word in words)
        and not words[0][0].isdigit()
    )


def confirmed_speakers(leads: list[Lead], opening: list[bool] | None = None) -> set[str]:
    """The names that really are speakers: full names, single names before two turns, and,
    once some are confirmed, a single name that opens a block (a caption, a paragraph).

    ``Note: ...`` once inside a paragraph is a sentence, not a speaker called Note.
    """
    counts = Counter(lead.speaker for lead in leads if lead.speaker)
    confirmed = {name for name, count in counts.items() if count >= 2 or " " in name}
    if confirmed and opening:
        confirmed |= {
            lead.speaker
            for lead, opens in zip(leads, opening, strict=True)
            if opens and lead.speaker
        }
    return confirmed


def named_turns(captions: list[str]) -> list[tuple[str | None, str]]:
    """Each caption's speaker and words, where captions name their speaker as ``Name:``
    (SubRip, and WebVTT without voice spans): a caption without a name goes on with the
    last speaker."""
    leads = [parse_lead(caption.strip()) for caption in captions]
    speakers = confirmed_speakers(leads, [True] * len(leads))
    turns: list[tuple[str | None, str]] = []
    speaker = None
    for caption, lead in zip(captions, leads, strict=True):
        if lead.speaker in speakers:
            speaker = lead.speaker
        turns.append((speaker, lead.words(speakers) if lead.speaker else caption))
    return turns
