"""The manual checks itself: its examples run, every command and option is in it, its
generated pages are current, and every page is reachable from the README.

How the examples are run: tests/support/docs_console.py. How to add a page: the
contributing page of the manual.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from support.docs_console import parse_blocks, report, run_page
from support.docs_generated import cli_reference, commands, home_page

from linkgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
GENERATED = {"cli.md": cli_reference, "index.md": home_page}  # page -> what cog writes there
PAGES = sorted(DOCS.glob("*.md"))
WRITTEN = [README, *(page for page in PAGES if page.name not in GENERATED)]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("page", WRITTEN, ids=_name)
def test_examples_print_what_the_manual_shows(page, tmp_path):
    outcomes = list(run_page(page, tmp_path))
    differ = [o for o in outcomes if not o.ok]
    assert not differ, f"{_name(page)}: examples print something else:\n\n" + "\n\n".join(
        f"line {o.block.start}: {report(o)}" for o in differ
    )


def test_the_pages_that_teach_commands_have_examples_that_run():
    with_examples = {p.name for p in WRITTEN if parse_blocks(p.read_text(encoding="utf-8"))}
    for name in ("README.md", "tutorial.md", "ingesting.md", "questions.md", "exports.md"):
        assert name in with_examples


@pytest.mark.parametrize("page", sorted(GENERATED), ids=str)
def test_generated_pages_are_current(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    generated = re.search(r"\]\]\] -->\n(.*)<!-- \[\[\[end\]\]\] -->", text, re.S)
    assert generated, f"docs/{page}: no cog block"
    assert generated.group(1) == GENERATED[page](), (
        f"docs/{page} is stale: run  cog -r -I tests/support docs/{page}"
    )


def _manual() -> dict[str, str]:
    """The hand-written pages (the generated reference excluded) by name."""
    return {_name(page): page.read_text(encoding="utf-8") for page in WRITTEN}


def _names_command(text: str, path: tuple[str, ...]) -> bool:
    words = r"\s+".join(re.escape(word) for word in path)
    return re.search(rf"linkgraph(\s+--db\s+\S+)?\s+{words}(?![\w-])", text) is not None


@pytest.mark.parametrize("path", commands()[1:], ids=" ".join)
def test_every_command_is_documented(path):
    assert any(_names_command(text, path) for text in _manual().values()), (
        f"'linkgraph {' '.join(path)}' appears on no page of the manual"
    )


def _options(path: tuple[str, ...]) -> list[str]:
    import typer

    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return [
        option
        for parameter in command.params
        for option in parameter.opts
        if option.startswith("--") and option != "--help"
    ]


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(("linkgraph", *p)))
def test_every_option_is_documented_where_its_command_is(path):
    pages = [text for text in _manual().values() if not path or _names_command(text, path)]
    missing = [
        option
        for option in _options(path)
        if not any(re.search(rf"{re.escape(option)}(?![\w-])", text) for text in pages)
    ]
    assert not missing, f"linkgraph {' '.join(path)}: options on no page naming it: {missing}"


def test_every_page_is_linked_from_the_readme_and_in_the_site():
    readme = README.read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)(?:#[\w-]*)?\)", readme))
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    in_nav = {page for entry in config["nav"] for page in entry.values()}
    pages = {page.name for page in PAGES}
    assert pages - {"index.md"} <= linked, f"not linked from README.md: {pages - linked}"
    assert linked <= pages, f"README.md links to pages that do not exist: {linked - pages}"
    assert in_nav == pages, f"mkdocs.yml nav differs from docs/: {in_nav ^ pages}"
