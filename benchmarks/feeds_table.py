"""What ingest makes of the real corpus: one row per source, as the manual's table.

    python benchmarks/feeds_table.py [CORPUS]      (default: ../shared/corpus)

Ingests the AXRP transcripts (``--podcast AXRP --site-url https://axrp.net``) and every feed
of CORPUS/feeds, each into a store of its own, and prints a markdown table: episodes and
mentions as stored, the works whose provisional title is an anchor text (rather than a
label made from the URL), the mentions judged boilerplate and their share, and the reasons
they were judged so most often, grouped. The platform of each feed is read from the
corpus's README.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from linkgraph.ingest import IngestOptions, ingest
from linkgraph.store import Store
from linkgraph.titles import url_label

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus"

# Reasons (as stored in mentions.boilerplate_reason) grouped as the manual names them.
_GROUPS = (
    (re.compile(r"^support link$"), "support link"),
    (re.compile(r"^share or legal page$"), "legal/share page"),
    (re.compile(r"^an (image|audio file)$"), "file"),
    (re.compile(r"^the show's (own site|name)"), "the show's own"),
    (re.compile(r"^(social profile|channel page|show page|profile)$"), "profile"),
    (re.compile(r"^under '"), "heading"),
    (re.compile(r"^says '"), "words"),
    (re.compile(r"^link text '"), "link text"),
    (re.compile(r"episodes$|^a sponsor's home page$"), "repetition"),
)


def reason_group(reason: str) -> str:
    """The group a boilerplate reason belongs to in the table."""
    return next((name for pattern, name in _GROUPS if pattern.search(reason)), reason)


def platforms(corpus: Path) -> dict[str, str]:
    """Each feed's platform, from the 'generator / platform' column of the corpus README."""
    readme = corpus / "feeds" / "README.md"
    found: dict[str, str] = {}
    if not readme.is_file():
        return found
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > 3 and re.fullmatch(r"`[\w.-]+\.xml`", cells[0]):
            found[cells[0].strip("`")] = re.split(r" \(|, ", cells[3])[0]
    return found


def row(source: Path, options: IngestOptions) -> dict:
    """Ingest one source into a new store and count what the table shows."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "feed.db") as store:
        reports = ingest(store, [str(source)], options)
        failed = [r.error for r in reports if r.error]
        if failed:
            raise SystemExit(f"{source}: {failed[0]}")
        works = store.query("SELECT title, url FROM works")
        reasons = [
            r["boilerplate_reason"]
            for r in store.query("SELECT boilerplate_reason FROM mentions WHERE boilerplate = 1")
        ]
        return {
            "episodes": store.scalar("SELECT count(*) FROM episodes"),
            "mentions": store.scalar("SELECT count(*) FROM mentions"),
            "works": len(works),
            "titled": sum(1 for w in works if not w["url"] or w["title"] != url_label(w["url"])),
            "boilerplate": len(reasons),
            "groups": Counter(reason_group(r) for r in reasons),
        }


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def line(name: str, platform: str, counts: dict) -> str:
    groups = counts["groups"]
    total = counts["boilerplate"]
    because = ", ".join(f"{group} {percent(n, total)}" for group, n in groups.most_common(3))
    titled = f"{counts['titled']:,} of {counts['works']:,}"
    return (
        f"| {name} | {platform} | {counts['episodes']:,} | {counts['mentions']:,} | "
        f"{titled} ({percent(counts['titled'], counts['works'])}) | "
        f"{total:,} | {percent(total, counts['mentions'])} | {because} |"
    )


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else DEFAULT
    if not (corpus / "feeds").is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    print(
        "| source | platform | episodes | mentions | works titled by an anchor "
        "| boilerplate | share | most often because |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|")
    totals: dict = {"episodes": 0, "mentions": 0, "works": 0, "titled": 0, "boilerplate": 0}
    groups: Counter = Counter()
    axrp = corpus / "axrp"
    if axrp.is_dir():
        options = IngestOptions(podcast="AXRP", site_url="https://axrp.net")
        print(line("AXRP transcripts", "Jekyll (markdown)", row(axrp, options)), flush=True)
    names = platforms(corpus)
    for feed in sorted((corpus / "feeds").glob("*.xml")):
        counts = row(feed, IngestOptions())
        for key in totals:
            totals[key] += counts[key]
        groups.update(counts["groups"])
        print(line(f"`{feed.name}`", names.get(feed.name, ""), counts), flush=True)
    print(line("all feeds", "", {**totals, "groups": groups}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
