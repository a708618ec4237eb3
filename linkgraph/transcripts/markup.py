"""The text of caption markup: ``<i>``, ``<b>``, ``<font>`` tags and character references."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser


def plain_text(markup: str) -> str:
    """The text a caption shows, tags removed and ``&amp;`` and the like decoded."""
    if "<" not in markup and "&" not in markup:
        return markup
    tree = LexborHTMLParser(f"<body>{markup}</body>")
    return tree.body.text(deep=True) if tree.body else markup
