"""SubRip captions (``application/x-subrip``, ``application/srt``), read with the srt package."""

from __future__ import annotations

import srt

from ..model import Segment
from ..sources.base import SourceError
from .fragments import join_fragments
from .markup import plain_text
from .speakers import confirmed_speakers, parse_lead


def read(text: str) -> list[Segment]:
    """The subtitles of a SubRip document as sentences with their speakers and times.

    A subtitle that starts with ``Name:`` starts that speaker's turn; the ones after it
    without a name go on with it.
    """
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as error:
        raise SourceError(f"is not valid SubRip ({error})") from None
    if not subtitles:
        raise SourceError("is not valid SubRip (no subtitles in it)")
    leads = [parse_lead(plain_text(subtitle.content).strip()) for subtitle in subtitles]
    speakers = confirmed_speakers(leads, [True] * len(leads))
    pieces: list[Segment] = []
    speaker = None
    for subtitle, lead in zip(subtitles, leads, strict=True):
        if lead.speaker in speakers:
            speaker = lead.speaker
        words = lead.words(speakers) if lead.speaker else plain_text(subtitle.content)
        pieces.append(
            Segment(words, subtitle.start.total_seconds(), subtitle.end.total_seconds(), speaker)
        )
    return join_fragments(pieces)
