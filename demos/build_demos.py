"""Write the instructor dashboards: one code-free Voila page per concept demo.

Each dashboard is a title, one or two sentences on what to do, and a hidden cell that builds the
demo from ``nndl_backprop.widgets``. The table of demos is ``nndl_backprop/widgets/registry.py``:
edit it, then run ``python demos/build_demos.py``; tests/test_demos.py checks that the pages match.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nndl_backprop.widgets.registry import DEMOS

HERE = Path(__file__).resolve().parent

# Bigger type for a projector. Voila shows Markdown's HTML as is; JupyterLab drops the <style>.
PROJECTOR_CSS = """<style>
:root {
  --jp-content-font-size1: 20px;
  --jp-ui-font-size1: 18px;
  --jp-widgets-font-size: 18px;
  --jp-widgets-inline-height: 36px;
  --jp-widgets-inline-width: 380px;
  --jp-widgets-inline-label-width: 130px;
}
</style>"""
# Picks ipympl where its front-end works, else a picture re-rendered on every change
# (NNDL_RENDERING=static forces it): the same cell opens the notebooks.
RENDERING_CELL = "from nndl_backprop.widgets import use_rendering\n\nrendering = use_rendering()"


def dashboard(title: str, what_to_do: str, module: str, builder: str):
    """The notebook of one dashboard (no outputs: Voila runs it when the page opens)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python"
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        new_markdown_cell(f"{PROJECTOR_CSS}\n\n# {title}\n\n{what_to_do}"),
        new_code_cell(RENDERING_CELL),
        new_code_cell(f"from nndl_backprop.widgets.{module} import {builder}\n\n{builder}()"),
    ]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"  # stable ids: regenerating changes nothing
    return nb


def main() -> None:
    for d in DEMOS:
        page = dashboard(d.title, d.what_to_do, d.module, d.builder)
        nbformat.write(page, HERE / f"{d.stem}.ipynb")


if __name__ == "__main__":
    main()
