"""Plain text from the markup fragments metadata arrives in (JATS, HTML, escaped HTML).

Crossref titles, container titles and abstracts are JATS or HTML fragments
(``[Ru(bpy)<sub>3</sub>]<sup>2+</sup>``, ``<jats:p>...</jats:p>``), some publishers send the
fragment escaped once more (``&lt;p&gt;Title&lt;/p&gt;``), and JSON-LD carries HTML entities
(``&#8220;``). ``plain_text`` reads such a fragment with a real HTML tokenizer and keeps its
characters: inline elements (sub, sup, italics, small caps ...) leave no trace, so
``λ<sub>1206</sub>`` is ``λ1206``; block elements (paragraphs, sections, line breaks) become
one space; small capitals become capitals; an abstract's own "Abstract" heading, its
permissions and TeX alternatives are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from ..readers.html import BLOCK_TAGS, CELL_TAGS

# Element names without a namespace prefix (``jats:p`` is ``p``): HTML's blocks and JATS's.
_BLOCKS = (
    BLOCK_TAGS
    | CELL_TAGS
    | {
        "br",
        "sec",
        "title",
        "list",
        "list-item",
        "disp-quote",
        "label",
        "fig",
        "def-list",
        "def-item",
        "term",
        "def",
    }
)
_SKIPPED = {"tex-math", "annotation", "permissions", "script", "style", "object-id"}
_SMALL_CAPS = {"scp", "sc"}
_HEADINGS_DROPPED = {"abstract"}
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"^\s+(?=[.,;:!?)\]])")


class _TextReader(HTMLParser):
    """Collects the text of a fragment, element by element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.small_caps = 0
        self.title_start: int | None = None
        self.after_inline = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name in _SKIPPED:
            self.skipping += 1
        elif name in _SMALL_CAPS:
            self.small_caps += 1
        elif name == "title" and not self.skipping:
            self.title_start = len(self.parts)
        if name in _BLOCKS:
            self.parts.append(" ")
        self.after_inline = False

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag.rsplit(":", 1)[-1] in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif name in _SMALL_CAPS:
            self.small_caps = max(0, self.small_caps - 1)
        elif name == "title" and self.title_start is not None:
            heading = "".join(self.parts[self.title_start :]).strip().lower()
            if heading in _HEADINGS_DROPPED:
                del self.parts[self.title_start :]
            self.title_start = None
        if name in _BLOCKS:
            self.parts.append(" ")
            self.after_inline = False
        else:
            self.after_inline = True

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.after_inline:  # "<i>Title</i> ." is "Title."
            data = _SPACE_BEFORE_PUNCTUATION.sub("", data)
        self.parts.append(data.upper() if self.small_caps else data)
        self.after_inline = False


def _read(fragment: str) -> str:
    reader = _TextReader()
    reader.feed(fragment)
    reader.close()
    return _SPACE.sub(" ", "".join(reader.parts)).strip()


def plain_text(fragment: Any) -> str | None:
    """The text of a markup fragment, white space folded; None when empty or not text.

    A fragment escaped twice (its text still holds tags or entities after one reading) is
    read once more.
    """
    if not isinstance(fragment, str):
        return None
    text = _read(fragment)
    if "<" in text or "&" in text:
        text = _read(text)
    return text or None
