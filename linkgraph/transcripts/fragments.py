"""Joining the short pieces captions and word-level transcripts come in into sentences."""

from __future__ import annotations

from ..model import Segment

MAX_SEGMENT_CHARS = 600  # a sentence longer than this is split at a cue boundary
_ENDS_SENTENCE = (".", "?", "!", "…", '."', '?"', '!"', ".”", "?”", "!”")


def join_fragments(pieces: list[Segment]) -> list[Segment]:
    """Join consecutive pieces said by the same speaker until a sentence ends.

    Captions break lines every few words and the JSON format may give one word per segment;
    joined, a title said across two cues can be found and searched, and each sentence keeps
    the start of its first piece and the end of its last.
    """
    joined: list[Segment] = []
    for piece in pieces:
        text = " ".join(piece.text.split())
        if not text:
            continue
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.speaker == piece.speaker
            and not last.text.endswith(_ENDS_SENTENCE)
            and len(last.text) + len(text) < MAX_SEGMENT_CHARS
        ):
            last.text = f"{last.text} {text}"
            last.end = piece.end if piece.end is not None else last.end
            continue
        joined.append(Segment(text, piece.start, piece.end, piece.speaker, piece.topic))
    return joined
