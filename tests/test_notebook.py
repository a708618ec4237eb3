"""notebooks/explore.ipynb runs from top to bottom without an error."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "explore.ipynb"


def outputs_text(notebook) -> str:
    """Every text and HTML output of the executed notebook, joined."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            data = output.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join(parts)


def test_explore_notebook_runs(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError naming the failing cell
    text = outputs_text(notebook)
    assert "Attention Is All You Need" in text  # the top works
    assert "image/png" in {
        k for c in notebook.cells for o in c.get("outputs", []) for k in o.get("data", {})
    }  # the plot
    assert "<iframe srcdoc=" in text  # the map
    assert list(tmp_path.iterdir()) == []  # nothing written beside it
