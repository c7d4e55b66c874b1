"""The instructor dashboards in demos/ match the registry of demos and name real builders."""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

DEMOS_DIR = Path(__file__).resolve().parents[1] / "demos"
spec = importlib.util.spec_from_file_location("build_demos", DEMOS_DIR / "build_demos.py")
build_demos = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_demos)


@pytest.mark.parametrize("entry", build_demos.DEMOS, ids=[d.stem for d in build_demos.DEMOS])
def test_dashboard_is_up_to_date_and_its_builder_exists(entry):
    stem, module, builder = entry.stem, entry.module, entry.builder
    title, what_to_do = entry.title, entry.what_to_do
    widgets_module = importlib.import_module(f"nndl_backprop.widgets.{module}")
    assert callable(getattr(widgets_module, builder, None)), f"{module}.{builder} is missing"
    path = DEMOS_DIR / f"{stem}.ipynb"
    expected = build_demos.dashboard(title, what_to_do, module, builder)
    assert nbformat.reads(path.read_text(), as_version=4) == expected, (
        f"{path.name} differs from demos/build_demos.py: run `python demos/build_demos.py`"
    )


def test_each_dashboard_names_an_existing_notebook():
    """README links each demo to its notebook: the names in DEMOS must be real."""
    notebooks = DEMOS_DIR.parent / "notebooks"
    missing = [row[1] for row in build_demos.DEMOS if not (notebooks / f"{row[1]}.ipynb").exists()]
    assert not missing, f"DEMOS names notebooks that do not exist: {missing}"


def test_every_dashboard_is_in_the_table():
    listed = {f"{row[0]}.ipynb" for row in build_demos.DEMOS}
    assert {p.name for p in DEMOS_DIR.glob("*.ipynb")} == listed


def test_voila_config_is_json_with_known_sections():
    config = json.loads((DEMOS_DIR / "voila.json").read_text())
    assert set(config) <= {"Voila", "VoilaConfiguration", "VoilaExecutor", "VoilaKernelManager"}


def test_every_builder_is_in_the_registry():
    """A new build_* function outside the table would escape the pages, sweeps and benchmark."""
    import inspect
    import pkgutil

    import nndl_backprop.widgets as widgets_pkg
    from nndl_backprop.widgets.registry import DEMOS

    found = set()
    for info in pkgutil.iter_modules(widgets_pkg.__path__):
        module = importlib.import_module(f"nndl_backprop.widgets.{info.name}")
        found |= {
            (info.name, name)
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if name.startswith("build_") and fn.__module__ == module.__name__
        }
    assert found == {(d.module, d.builder) for d in DEMOS}
