"""Spoken citations: the works a transcript names without a link, and where it names them.

``matcher`` finds identifiers, titles, aliases, author-year phrases and episodes said by
their guest or subject in transcript segments; ``known`` and ``catalog`` say what the
store knows about each work.
"""

from .known import KnownWork
from .matcher import SpokenMatcher, SpokenReference

__all__ = ["KnownWork", "SpokenMatcher", "SpokenReference"]
