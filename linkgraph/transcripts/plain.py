"""Plain-text transcripts: ``Name:`` or ``**Name:**`` turns, ``[00:12:34]`` or ``(1:02:03)`` times.

Paragraphs are separated by blank lines; a line that opens with a speaker or a time starts
a new segment, and an exported ``Name  0:03`` line gives the speaker and time of the
words below it.
"""

from __future__ import annotations

from ..model import Segment
from .speakers import Lead, confirmed_speakers, parse_lead


def read(text: str) -> list[Segment]:
    """The turns of a plain-text transcript with their speakers and times."""
    lines = text.split("\n")
    leads = [parse_lead(line.strip()) if line.strip() else None for line in lines]
    present = [lead for lead in leads if lead]
    opening = [
        lead is not None and (index == 0 or leads[index - 1] is None)
        for index, lead in enumerate(leads)
        if lead
    ]
    speakers = confirmed_speakers(present, opening)
    segments: list[Segment] = []
    speaker: str | None = None
    start: float | None = None
    open_segment: Segment | None = None
    for lead in leads:
        if lead is None:
            open_segment = None
            continue
        named = lead.speaker in speakers
        if named:
            speaker = lead.speaker
        if named or lead.start is not None:
            open_segment = None
            start = lead.start if lead.start is not None else None
        words = _words(lead, speakers)
        if not words:
            continue
        if open_segment is None:
            open_segment = Segment(words, start, None, speaker)
            segments.append(open_segment)
            start = None
        else:
            open_segment.text = f"{open_segment.text} {words}"
    return segments


def _words(lead: Lead, speakers: set[str]) -> str:
    return " ".join(lead.words(speakers).split())
