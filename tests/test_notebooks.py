"""Every notebook runs top to bottom, and every cell that draws carries its figure, committed and re-executed.

Fast settings come from the notebook's own parameters cell (tagged
``parameters``): the test adds a cell ``FAST = True`` after it, the way
papermill injects parameters, so a reader sees exactly which switch the test
turns.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
_DRAWING = (".plot(", ".plot_", "plt.", "fig, ax")


def _draws(cell) -> bool:
    return cell.cell_type == "code" and any(marker in cell.source for marker in _DRAWING)


def _has_image(cell) -> bool:
    return any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


def _blank_drawings(notebook) -> list[str]:
    """The first lines of the cells that draw and carry no image."""
    return [c.source.splitlines()[0] for c in notebook.cells if _draws(c) and not _has_image(c)]


def _parameters_cell(notebook) -> int:
    tagged = [k for k, c in enumerate(notebook.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "a notebook needs exactly one cell tagged 'parameters'"
    return tagged[0]


def test_the_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.ipynb",
        "02_weather.ipynb",
        "03_prices.ipynb",
        "04_panels.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_carry_their_figures(path):
    notebook = nbformat.read(path, as_version=4)
    drawing = [c for c in notebook.cells if _draws(c)]
    assert drawing, f"{path.name} draws nothing"
    missing = _blank_drawings(notebook)
    assert not missing, f"{path.name} is committed without the figures of {missing}"
    assert "FAST = False" in notebook.cells[_parameters_cell(notebook)].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_and_draws(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    at = _parameters_cell(notebook)
    injected = nbformat.v4.new_code_cell("FAST = True  # injected by the test suite")
    notebook.cells.insert(at + 1, injected)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert not errors
    blank = _blank_drawings(notebook)
    assert not blank, f"cells that draw produced no image: {blank}"


def test_a_drawing_cell_without_its_image_is_caught():
    """The check the notebooks pass must fail on a figure dropped by a re-execution (text output alone is not enough)."""
    png = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 800x400 with 1 Axes>"}
    drawn = nbformat.v4.new_code_cell("result.plot();", outputs=[nbformat.v4.new_output("display_data", data=png)])
    dropped = nbformat.v4.new_code_cell(
        "comparison.plot_skill();",
        outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "<Figure size 800x400 with 1 Axes>"})],
    )
    quiet = nbformat.v4.new_code_cell("comparison.scores", outputs=[])
    notebook = nbformat.v4.new_notebook(cells=[drawn, dropped, quiet])
    assert _blank_drawings(notebook) == ["comparison.plot_skill();"]
    for path in NOTEBOOKS:  # and every committed notebook would fail it with its images stripped
        stripped = nbformat.read(path, as_version=4)
        for cell in stripped.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if "image/png" not in o.get("data", {})]
        assert _blank_drawings(stripped), path.name
