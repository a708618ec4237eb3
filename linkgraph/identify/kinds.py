"""Link kinds of URLs that name no work by id: tables of hosts and path patterns, not code.

A host matches itself and its subdomains; the longest matching host wins, and a host's path
rules come before its own kind. Then a host's first label (``blog.``), PDFs, and path
patterns that mean the same on any host (``/donate``, ``/@user``, ``/episodes/``).
"""

from __future__ import annotations

import re

from ..model import LINK_KINDS
from .urls import suffixes

__all__ = ["KINDS", "kind"]

KINDS = LINK_KINDS

_HOST_KINDS = {
    "post": (
        "lesswrong.com alignmentforum.org greaterwrong.com forum.effectivealtruism.org "
        "medium.com substack.com wordpress.com blogspot.com ghost.io tumblr.com dev.to "
        "hashnode.dev mirror.xyz news.ycombinator.com nytimes.com theguardian.com "
        "washingtonpost.com bbc.co.uk bbc.com reuters.com apnews.com theverge.com wired.com "
        "arstechnica.com vox.com theatlantic.com economist.com ft.com wsj.com bloomberg.com "
        "vice.com gizmodo.com techcrunch.com cnn.com cnbc.com npr.org newyorker.com "
        "quantamagazine.org technologyreview.com axios.com politico.com time.com forbes.com "
        "fortune.com businessinsider.com spectrum.ieee.org scientificamerican.com "
        "newscientist.com nautil.us aeon.co slate.com lwn.net semafor.com latimes.com "
        "telegraph.co.uk independent.co.uk nbcnews.com"
    ),
    "video": (
        "youtube.com youtu.be youtube-nocookie.com vimeo.com twitch.tv dailymotion.com "
        "tiktok.com ted.com rumble.com"
    ),
    "code": (
        "github.com gitlab.com bitbucket.org codeberg.org sourceforge.net sr.ht pypi.org "
        "npmjs.com crates.io colab.research.google.com huggingface.co"
    ),
    "dataset": (
        "data.world datadryad.org figshare.com dataverse.harvard.edu openml.org "
        "archive.ics.uci.edu data.gov"
    ),
    "encyclopedia": (
        "wikipedia.org wiktionary.org wikiquote.org wikidata.org plato.stanford.edu "
        "britannica.com scholarpedia.org iep.utm.edu encyclopediaofmath.org "
        "mathworld.wolfram.com ncatlab.org arbital.com oeis.org tvtropes.org"
    ),
    "social": (
        "twitter.com x.com bsky.app linkedin.com facebook.com instagram.com reddit.com "
        "threads.net threads.com mastodon.social mastodon.online discord.gg t.me telegram.me "
        "join.slack.com chat.whatsapp.com signal.group matrix.to linktr.ee quora.com "
        "pinterest.com weibo.com vk.com truthsocial.com warpcast.com"
    ),
    "support": (
        "patreon.com ko-fi.com buymeacoffee.com buymeacoff.ee paypal.me liberapay.com "
        "opencollective.com flattr.com venmo.com cash.app donorbox.org givebutter.com "
        "every.org steadyhq.com tipeee.com subscribestar.com gofundme.com memberful.com "
        "supercast.com glow.fm"
    ),
    "podcast": (
        "podcasts.apple.com podcasts.google.com overcast.fm pocketcasts.com pca.st "
        "podbean.com anchor.fm buzzsprout.com castbox.fm podcastaddict.com player.fm "
        "listennotes.com podchaser.com simplecast.com libsyn.com transistor.fm captivate.fm "
        "spreaker.com audioboom.com podcasters.spotify.com castro.fm fountain.fm pod.link "
        "soundcloud.com megaphone.fm acast.com omny.fm art19.com redcircle.com fireside.fm "
        "pinecast.com podomatic.com goodpods.com podcastindex.org"
    ),
    "site": "ai.facebook.com",
}
_FORUMS = ("lesswrong.com", "alignmentforum.org", "greaterwrong.com", "forum.effectivealtruism.org")
# (host, path pattern, kind): tried in order before the host's own kind.
_PATH_KIND_RULES: tuple[tuple[str, str, str], ...] = (
    ("github.com", r"^/sponsors(?:/|$)", "support"),
    ("github.com", r"^/(?:features|about|pricing|enterprise|marketplace|topics)(?:/|$)", "site"),
    # Channel pages are the channel's profile; its videos are watch URLs.
    ("youtube.com", r"^/(?:@[^/]+|c/|channel/|user/)", "social"),
    ("tiktok.com", r"^/@[^/]+$", "social"),
    ("huggingface.co", r"^/datasets/", "dataset"),
    ("kaggle.com", r"^/datasets/", "dataset"),
    ("zenodo.org", r"^/records?/", "dataset"),
    ("paypal.com", r"^/(?:donate|paypalme/|pools/|cgi-bin/webscr)", "support"),
    ("discord.com", r"^/invite/", "social"),
    ("discordapp.com", r"^/invite/", "social"),
    ("slack.com", r"^/(?:join/|t/[^/]+/shared_invite/)", "social"),
    ("whatsapp.com", r"^/channel/", "social"),
    ("anthropic.com", r"^/(?:index|news)/", "post"),
    ("open.spotify.com", r"^/(?:episode|show)/", "podcast"),
    ("music.amazon.com", r"^/podcasts/", "podcast"),
    ("itunes.apple.com", r"/podcast/", "podcast"),
    *((forum, r"^/(?:tag|tags|topics|w|wiki)/", "encyclopedia") for forum in _FORUMS),
    *((forum, r"^/(?:users|search)(?:/|$)", "site") for forum in _FORUMS),
    ("proceedings.mlr.press", r"^/v\d+/", "paper"),
    ("papers.nips.cc", r"^/paper", "paper"),
    ("proceedings.neurips.cc", r"^/paper", "paper"),
    ("openaccess.thecvf.com", r"^/content", "paper"),
    ("semanticscholar.org", r"^/paper/", "paper"),
    ("jstor.org", r"^/stable/", "paper"),
    ("sciencedirect.com", r"^/science/article/", "paper"),
    ("citeseerx.ist.psu.edu", r"^/(?:document|viewdoc)", "paper"),
    ("eprint.iacr.org", r"^/\d{4}/\d+", "paper"),
    ("ieeexplore.ieee.org", r"/document/\d+", "paper"),
    ("jmlr.org", r"^/papers/", "paper"),
    ("jair.org", r"/article/", "paper"),
    ("ojs.aaai.org", r"/article/", "paper"),
    ("researchgate.net", r"^/publication/", "paper"),
    ("philpapers.org", r"^/(?:rec|archive)/", "paper"),
    ("academic.oup.com", r"/article", "paper"),
    ("cambridge.org", r"/article/", "paper"),
    ("asmedigitalcollection.asme.org", r"/article", "paper"),
    ("paperswithcode.com", r"^/paper/", "paper"),
    ("distill.pub", r"^/\d{4}/", "paper"),
    ("transformer-circuits.pub", r"^/\d{4}/", "paper"),
    ("hal.science", r"^/hal-\d+", "paper"),
    ("dl.acm.org", r"^/doi/", "paper"),
    ("link.springer.com", r"^/(?:article|chapter)/", "paper"),
    ("biorxiv.org", r"^/content/", "paper"),
    ("medrxiv.org", r"^/content/", "paper"),
)
# The first label of a host that names its kind: blog.example.org.
_FIRST_LABEL_KINDS = {"blog": "post", "blogs": "post", "podcast": "podcast", "podcasts": "podcast"}
# Path patterns for any host, tried in order after the host tables.
_ANY_HOST_KIND_RULES: tuple[tuple[str, str], ...] = (
    (r"(?:^|/)(?:donate|donations?|support-us|supporting-[\w-]+)(?:/|$)", "support"),
    (r"(?:^|/)(?:episodes?|podcasts?)(?:/|$)", "podcast"),
    # Profiles and posts on Mastodon and the other fediverse servers: /@user, /@user/123.
    (r"^/@[\w.-]+(?:@[\w.-]+)?(?:/(?:\d+|with_replies|media|followers|following))?$", "social"),
    (r"(?:^|/)(?:blogs?|posts?|news)(?:/|$)|^/p/", "post"),
    (r"^/\d{4}/\d{2}/(?:\d{2}/)?[^/]+", "post"),
    # Medium on its own domain: /slug-89e247df7f1b
    (r"^/(?:@[\w.-]+/)?[\w-]+-(?=[0-9a-f]*[a-f])[0-9a-f]{10,12}$", "post"),
)
# PDFs that are plainly not papers.
_NOT_PAPER_PDF = re.compile(
    r"brochure|flyer|leaflet|invoice|receipt|menu|catalog|poster|ticket|resume|cv\b", re.IGNORECASE
)


def _kind_table() -> dict[str, tuple[tuple[re.Pattern[str] | None, str], ...]]:
    """host -> ((path pattern or None for any path, kind), ...), path rules first."""
    table: dict[str, list[tuple[re.Pattern[str] | None, str]]] = {}
    for host, pattern, link_kind in _PATH_KIND_RULES:
        table.setdefault(host, []).append((re.compile(pattern, re.IGNORECASE), link_kind))
    for link_kind, hosts in _HOST_KINDS.items():
        for host in hosts.split():
            table.setdefault(host, []).append((None, link_kind))
    return {host: tuple(rules) for host, rules in table.items()}


_KIND_RULES = _kind_table()
_ANY_HOST_KINDS = tuple((re.compile(p, re.IGNORECASE), k) for p, k in _ANY_HOST_KIND_RULES)


def kind(host: str, path: str) -> str:
    """The link kind of a canonical URL without a standard id."""
    for suffix in suffixes(host):
        for pattern, link_kind in _KIND_RULES.get(suffix, ()):
            if pattern is None or pattern.search(path):
                return link_kind
    first_label = host.split(".", 1)[0]
    if first_label in _FIRST_LABEL_KINDS:
        return _FIRST_LABEL_KINDS[first_label]
    if path.lower().endswith(".pdf") and not _NOT_PAPER_PDF.search(path):
        return "paper"  # in research notes a PDF is nearly always a paper
    return next((k for pattern, k in _ANY_HOST_KINDS if pattern.search(path)), "site")
