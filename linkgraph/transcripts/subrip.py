"""SubRip captions (``application/x-subrip``, ``application/srt``), read with the srt package."""

from __future__ import annotations

import srt

from ..model import Segment
from ..readers.base import SourceError
from .fragments import join_fragments
from .markup import plain_text
from .speakers import named_turns


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
    turns = named_turns([plain_text(subtitle.content) for subtitle in subtitles])
    return join_fragments(
        [
            Segment(words, subtitle.start.total_seconds(), subtitle.end.total_seconds(), speaker)
            for subtitle, (speaker, words) in zip(subtitles, turns, strict=True)
        ]
    )
