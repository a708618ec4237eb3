"""PDFs: the document information (title, author) and the first page's text (pypdf).

An arXiv id or a DOI printed on the first page (or in the document information) adds that
identifier to the work, which makes it a paper.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from .base import Metadata, ResolveError, clean, names

_ARXIV = re.compile(
    r"arXiv:\s*((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)", re.IGNORECASE
)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint)|untitled|arxiv:|slide|title)|"
    r"\.(?:dvi|tex|docx?|pdf|pptx?|indd)$",
    re.IGNORECASE,
)
_SPLIT_AUTHORS = re.compile(r"\s*(?:;|\band\b|&)\s*")
_FIRST_PAGE_CHARS = 20_000


def _title(info_title: str | None, text: str) -> str | None:
    title = clean(info_title)
    if title and len(title) >= 4 and not _JUNK_TITLE.search(title):
        return title
    for raw in text.splitlines()[:15]:
        line = clean(raw)
        if (
            line
            and 3 <= len(line.split()) <= 30
            and not _ARXIV.search(line)
            and not _DOI.search(line)
        ):
            return line
    return None


def _authors(value: str | None) -> list[str]:
    text = clean(value)
    if not text:
        return []
    parts = _SPLIT_AUTHORS.split(text)
    if len(parts) == 1 and text.count(",") >= 1 and all(" " in p.strip() for p in text.split(",")):
        parts = text.split(",")
    return names(parts)


def metadata(data: bytes) -> Metadata:
    """Our metadata from the bytes of a PDF."""
    try:
        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata
        text = (reader.pages[0].extract_text() or "") if len(reader.pages) else ""
    except Exception as error:  # pypdf raises many kinds on broken files
        raise ResolveError(f"not a readable PDF: {str(error)[:160]}") from None
    text = text[:_FIRST_PAGE_CHARS]
    info_text = " ".join(str(v) for v in (info or {}).values() if isinstance(v, str))
    ids = [f"arxiv:{m}" for m in _ARXIV.findall(text)[:1]]
    ids += [f"doi:{m.rstrip('.,;)]')}" for m in _DOI.findall(f"{text} {info_text}")[:1]]
    meta = Metadata(
        origin="pdf",
        title=_title(info.title if info else None, text),
        authors=_authors(info.author if info else None),
        kind="paper" if ids else None,
        identifiers=ids,
        extra={"pages": len(reader.pages)},
    )
    if not meta.title:
        raise ResolveError("the PDF has no title in its information or on its first page")
    return meta
