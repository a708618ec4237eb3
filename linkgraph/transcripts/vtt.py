"""WebVTT captions (``text/vtt``), read with webvtt-py: voices, cue settings, styling tags."""

from __future__ import annotations

import html
import io
import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..model import Segment
from ..readers.base import SourceError
from .fragments import join_fragments
from .speakers import named_turns

# The voice span that opens a line of cue text: "<v Roger>", "<v.loud Roger Bingham>".
_VOICE = re.compile(r"^\s*<v(?:\.[\w.-]+)?[ \t]+([^>]+)>")


def read(text: str) -> list[Segment]:
    """The cues of a WebVTT document as sentences with their speakers and times.

    A cue without a voice span goes on with the last speaker; a cue with lines in several
    voices is split between them. A file with no voice span at all may name speakers as
    ``Name:`` opening a cue, as SubRip does.
    """
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format="vtt")
    except (MalformedFileError, MalformedCaptionError) as error:
        raise SourceError(f"is not valid WebVTT ({error})") from None
    pieces: list[Segment] = []
    speaker = None
    for caption in captions.captions:
        start, end = _seconds(caption.start_time), _seconds(caption.end_time)
        for raw, plain in zip(caption.lines, caption.text.split("\n"), strict=True):
            voice = _VOICE.match(raw)
            if voice:
                speaker = " ".join(voice.group(1).split())
            pieces.append(Segment(html.unescape(plain), start, end, speaker))
    if not any(piece.speaker for piece in pieces):
        turns = named_turns([piece.text for piece in pieces])
        for piece, (speaker, words) in zip(pieces, turns, strict=True):
            piece.speaker, piece.text = speaker, words
    return join_fragments(pieces)


def _seconds(timestamp: webvtt.models.Timestamp) -> float:
    return timestamp.in_milliseconds() / 1000
