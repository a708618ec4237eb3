"""Text helpers shared by the readers: bare URLs, sentences around a link, timestamps."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Top-level domains accepted for scheme-less URLs such as "arxiv.org/abs/2303.12642".
# A scheme-less match needs a known TLD so that "e.g." or "v1.2" are not taken for hosts.
_TLDS = (
    "com|org|net|edu|gov|io|ai|co|uk|de|fr|nl|ch|ca|au|jp|cn|info|me|dev|app|blog|xyz|"
    "science|fm|tv|us|eu|int|mil|be|se|no|dk|fi|it|es|pt|pl|cz|at|ru|in|il|nz|sg|ly|gl|gg|so|"
    "page|site|tech|news|pub|academy|institute|foundation|world|global|ac|cc|to|is|im|ms|la|"
    "network|online|substack|link|wiki|works|pro|biz|ngo|one|systems|studio|media|community"
)
# URL characters; an apostrophe counts only between two of them ("/wiki/Fermat's_Last_Theorem"),
# so a quote that closes around a URL ('https://x.org') stays outside it.
_URL_CHARS = r"[^\s<>\"'`\u0000-\u001f\u007f]+(?:'[^\s<>\"'`\u0000-\u001f\u007f]+)*"
_SCHEME_URL = re.compile(r"\bhttps?://" + _URL_CHARS, re.IGNORECASE)
_SCHEMELESS_URL = re.compile(
    r"(?<![\w@/.:-])(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")"
    r"(?![\w-])(?::\d{2,5})?(?:/(?:" + _URL_CHARS + r")?)?",
    re.IGNORECASE,
)
_HOST_FIRST = re.compile(
    r"(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:"
    + _TLDS
    + r")(?::\d{2,5})?(?=[/?#]|$)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*'\"’”»"
_PAIRS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class FoundURL:
    """A URL found in running text: its span, the text as written and an absolute URL."""

    start: int
    end: int
    written: str
    url: str


def _trim(candidate: str) -> str:
    """Drop trailing punctuation and unbalanced closing brackets from a URL candidate."""
    while candidate:
        last = candidate[-1]
        unbalanced = last in _PAIRS and candidate.count(last) > candidate.count(_PAIRS[last])
        if last in _TRAILING or unbalanced:
            candidate = candidate[:-1]
        else:
            break
    return candidate


def find_urls(text: str, *, schemeless: bool = False) -> list[FoundURL]:
    """Find http(s) URLs in plain text; with ``schemeless`` also ``host.tld/path`` forms."""
    found: list[FoundURL] = []
    taken: list[tuple[int, int]] = []
    for match in _SCHEME_URL.finditer(text):
        written = _trim(match.group())
        if "://" in written and len(written) > written.index("://") + 3:
            found.append(FoundURL(match.start(), match.start() + len(written), written, written))
            taken.append((match.start(), match.start() + len(written)))
    if schemeless:
        for match in _SCHEMELESS_URL.finditer(text):
            start = match.start()
            if any(a <= start < b for a, b in taken):
                continue
            written = _trim(match.group())
            found.append(FoundURL(start, start + len(written), written, "https://" + written))
    found.sort(key=lambda f: f.start)
    return found


def starts_with_host(text: str) -> bool:
    """Whether ``text`` begins with a host name (``twitter.com/x``), not a file or path."""
    return bool(_HOST_FIRST.match(text))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence of ``text`` that holds the span [start, end), trimmed to ``limit`` chars.

    Only a window of ``2 * limit`` characters on each side is searched, so a paragraph with
    thousands of links costs linear, not quadratic, time.
    """
    window = 2 * limit
    left = max(0, start - window)
    for boundary in _SENTENCE_END.finditer(text, left, start):
        left = boundary.end()
    right_match = _SENTENCE_END.search(text, end, end + window)
    right = right_match.start() if right_match else min(len(text), end + window)
    sentence = " ".join(text[left:right].split())
    if len(sentence) <= limit:
        return sentence
    anchor = " ".join(text[left:start].split())
    begin = max(0, len(anchor) - limit // 2)
    return ("…" if begin else "") + sentence[begin : begin + limit].strip() + "…"


_TIMESTAMP = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:\.\d+)?$")


def parse_timestamp(value: str) -> float | None:
    """Seconds from ``H:MM:SS``, ``MM:SS`` or ``[12:34]``; None when it is no timestamp."""
    match = _TIMESTAMP.match(value.strip().strip("[]()"))
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    if int(seconds) >= 60 or (hours and int(minutes) >= 60):
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


# "- 0:00:40 - What kinds of AI?", "00:40 Intro", "[12:34] Topic", "1:02:03 – Topic"
TIMESTAMP_LINE = re.compile(
    r"^\s*(?:[-*•·]\s*)?[\[(]?(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2})[\])]?\s*(?:[-–—:|]\s*)?"
    r"(?P<title>\S.*?)\s*$"
)


def timestamped_topic(line: str) -> tuple[float, str] | None:
    """Parse a timestamped topic line into (seconds, title), or None."""
    match = TIMESTAMP_LINE.match(line)
    if not match:
        return None
    seconds = parse_timestamp(match.group("ts"))
    title = match.group("title").strip(" -–—:|")
    if seconds is None or not title:
        return None
    return seconds, title


# What may stand before an entry's title: a list marker and a timestamp ("• [12:34] ").
_ENTRY_LEAD = re.compile(
    r"^\s*(?:[-*•·–]\s+|\d{1,3}[.)]\s+)?"
    r"(?:[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}[\])]?\s*(?:[-–—|]\s+)?)?"
)
_BRACKETED = re.compile(r"\[([^\[\]]+)\]\s*\(?\s*$")  # "[Title] url", "[Title] (url)"
_PARENTHESISED = re.compile(r"\(([^()]+)\)\[$")  # "(Title)[url]", markdown turned around
_DASH_BEFORE = re.compile(r"\s+[-–—]+\s*$")  # "Title - url", "Title — url"
_DASH_AFTER = re.compile(r"\s*[-–—|]+\s+")  # "url - Title"
_COLON_BEFORE = re.compile(r":\s+$")  # "Title: url" (a colon with no space is part of a word)
# A full stop between sentences ("?" and "!" are left out: titles use them).
SENTENCE_BREAK = re.compile(r"\.[\"')\]]*\s+[\"'(\[]?[A-Z]")
_SEPARATORS = " \t,;|/·•–—-"
MAX_LABEL_CHARS = 200


def entry_label(line: str, start: int, end: int, before_from: int = 0, after_to: int = -1) -> str:
    """The title a line gives the URL written at ``[start, end)``, or "" when it gives none.

    The forms: ``Title: url``, ``Title - url`` (or an en or em dash), ``Title (url)``,
    ``[Title] url``, ``url - Title``, and markdown links broken by a space or turned
    around (``[Title] (url)``, ``(Title)[url]``); a list marker and a timestamp before the title
    are not part of it. Only the text between the previous URL (ending at ``before_from``)
    and the next one (starting at ``after_to``) is looked at, and a label that runs over
    a sentence break is prose, not a title.
    """
    before = line[before_from:start]
    after = line[end : len(line) if after_to < 0 else after_to]
    if before_from == 0:
        lead = _ENTRY_LEAD.match(before)
        before = before[lead.end() :] if lead else before
    label = ""
    bracketed = _BRACKETED.search(before) or (
        after.startswith("]") and _PARENTHESISED.search(before)
    )
    dash = _DASH_BEFORE.search(before)
    colon = _COLON_BEFORE.search(before)
    if bracketed:
        label = bracketed.group(1)
    elif before.rstrip().endswith("(") and after.lstrip().startswith(")"):
        label = before.rstrip()[:-1]
    elif colon:
        label = before[: colon.start()]
    elif dash:
        label = before[: dash.start()]
    elif not before.strip() and (following := _DASH_AFTER.match(after)):
        label = after[following.end() :]
    label = " ".join(label.split()).strip(_SEPARATORS)
    if len(label) > MAX_LABEL_CHARS or SENTENCE_BREAK.search(label):
        return ""
    return label
