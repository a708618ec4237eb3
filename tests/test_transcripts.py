"""Transcript readers: WebVTT, SubRip, the Podcasting 2.0 JSON and HTML formats, plain text
and transcript pages, each read from a fixture in its real syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph.model import Segment
from linkgraph.readers.base import SourceError
from linkgraph.transcripts import (
    detect_transcript_format,
    format_of_media_type,
    read_transcript,
)

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def read(name: str, fmt: str | None = None) -> list[Segment]:
    path = FIXTURES / name
    return read_transcript(path.read_bytes(), path.name, fmt)


def test_vtt_voices_settings_tags_multiline_cues_and_times_over_an_hour():
    segments = read("episode.vtt")
    assert [(s.start, s.end, s.speaker, s.text) for s in segments] == [
        (1.0, 4.5, "Ann Lee", "Welcome back to Paper Trails."),
        (4.5, 9.0, "Ann Lee", "Today we read the Chinchilla paper by Hoffmann et al."),
        # a cue without a voice goes on with the last speaker, joined until the sentence ends
        (9.0, 12.25, "Bo Chen", "It changed how people train language models & more."),
        (12.25, 14.0, "Bo Chen", "Mostly data."),
        # one cue in two voices is split between them
        (3723.5, 3727.0, "Ann Lee", "Over an hour in: arXiv 2203.15556 again."),
        (3723.5, 3727.0, "Bo Chen", "Yes, that one."),
    ]


def test_vtt_without_its_header_is_refused():
    with pytest.raises(SourceError, match="not valid WebVTT"):
        read_transcript(b"00:00:01.000 --> 00:00:02.000\nHi\n", "x.vtt", "vtt")


def test_srt_with_comma_decimals_speakers_and_formatting():
    segments = read("episode.srt")
    assert [(s.start, s.end, s.speaker, s.text) for s in segments] == [
        (
            0.0,
            6.09,
            "Sarah",
            "In today's episode, we read the Chinchilla paper, the one about "
            "compute-optimal training.",
        ),
        (6.09, 11.61, "Sarah", "Welcome to Paper Trails, where you learn the tips."),
        (19.08, 21.45, "Gillian", "Hi Sarah, Gillian here with a question."),
        (3621.45, 3625.35, "Sarah", "Let's take it."),
    ]


def test_srt_that_is_not_subrip_is_refused():
    with pytest.raises(SourceError, match="not valid SubRip"):
        read_transcript(b"1\nnot a time\nwords\n", "x.srt", "srt")


def test_json_transcript_words_are_joined_into_sentences():
    segments = read("episode.json")
    assert [(s.start, s.end, s.speaker, s.text) for s in segments] == [
        (0.5, 1.5, "Ann Lee", "We read Chinchilla."),
        (2.0, 4.25, "Bo Chen", "A paper on compute-optimal training."),
        (3725.0, 3727.5, "Bo Chen", "Over an hour in."),
        (3728.0, None, None, "Unattributed words."),
    ]


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (b'{"version": "1.0.0"}', 'no "segments" list'),
        (b'{"segments": [{"startTime": 1}]}', 'segment 1 has no "body"'),
        (b'{"segments": [', "not valid JSON"),
    ],
)
def test_json_that_is_no_transcript_is_refused(document, problem):
    with pytest.raises(SourceError, match=problem):
        read_transcript(document, "x.json", "json")


def test_html_format_cite_time_p():
    segments = read("episode.html")
    assert [(s.start, s.speaker, s.text) for s in segments] == [
        (0, "Ann Lee", "We read the Chinchilla paper today."),
        (3729, "Bo Chen", "It changed how people train language models."),
    ]


def test_transcript_page_gives_speaker_turns_under_topics_without_times():
    segments = read("page.md")
    assert [(s.speaker, s.topic, s.text, s.start) for s in segments] == [
        (None, None, "Ann Lee joins us to talk about compute.", None),
        ("Daniel Filan", "Scaling laws", "So, the Chinchilla paper. What did it find?", None),
        ("Ann Lee", "Scaling laws", "That models were undertrained.", None),
        ("Ann Lee", "Scaling laws", "That is the short answer.", None),
        ("Daniel Filan", "Wrapping up", "Thanks for coming on.", None),
    ]


def test_plain_text_speakers_and_times():
    segments = read("episode.txt", "transcript")
    assert [(s.start, s.speaker, s.text) for s in segments] == [
        (3, "Ann Lee", "Welcome to Paper Trails. Today it is compute."),
        (3725, "Bo Chen", "Thanks for having me."),
        (3750, "Ann Lee", "So, the Chinchilla paper."),
        # "Note:" once is a sentence, not a speaker called Note
        (3780, "Bo Chen", "Right, Hoffmann et al. Note: not a speaker line."),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("episode.vtt", "vtt"),
        ("episode.srt", "srt"),
        ("episode.json", "json"),
        ("episode.html", "html"),
        ("page.md", "markdown"),
        ("episode.txt", "transcript"),
    ],
)
def test_format_detected_from_content_then_name(name, expected):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect_transcript_format(text, name) == expected


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        ("text/vtt", "vtt"),
        ("application/x-subrip", "srt"),
        ("application/srt", "srt"),
        ("application/json; charset=utf-8", "json"),
        ("text/html", "html"),
        ("text/plain", "transcript"),
        ("audio/mpeg", None),
        (None, None),
    ],
)
def test_media_types_of_podcast_transcript_tags(media_type, expected):
    assert format_of_media_type(media_type) == expected


def test_empty_transcript_is_refused():
    with pytest.raises(SourceError, match="is empty"):
        read_transcript(b"  \n", "x.vtt")


def test_vtt_without_voice_spans_may_name_speakers_as_subrip_does():
    captions = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nAnn Lee: We read Chinchilla.\n\n"
        "00:00:03.000 --> 00:00:05.000\nIt is about compute.\n\n"
        "00:00:05.000 --> 00:00:07.000\nBo: Yes.\n\n00:00:07.000 --> 00:00:09.000\nBo: Indeed.\n"
    )
    segments = read_transcript(captions.encode(), "x.vtt")
    assert [(s.speaker, s.text) for s in segments] == [
        ("Ann Lee", "We read Chinchilla."),
        ("Ann Lee", "It is about compute."),
        ("Bo", "Yes."),
        ("Bo", "Indeed."),
    ]
