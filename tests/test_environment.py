"""The Colab guard in both branches, and the environment report with packages made missing.

Colab cannot be reached from here: a fake ``google.colab`` module stands in for it, and the
installer is a stub, so nothing is ever pip-installed by these tests.
"""

from __future__ import annotations

import subprocess
import sys
import types
from importlib import metadata
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from nndl_backprop import environment

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def colab(monkeypatch):
    """A fake google.colab whose output module records enable_custom_widget_manager calls."""
    calls = []
    output = types.ModuleType("google.colab.output")
    output.enable_custom_widget_manager = lambda: calls.append("enable_custom_widget_manager")
    package = types.ModuleType("google.colab")
    package.output = output
    monkeypatch.setitem(sys.modules, "google.colab", package)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    return calls


@pytest.fixture
def not_colab(monkeypatch):
    """google.colab made unimportable, even where a 'google' namespace package exists."""
    monkeypatch.setitem(sys.modules, "google.colab", None)


def run_first_cell() -> list[tuple[str, str]]:
    """Execute FIRST_CELL as IPython would; returns the line magics it ran, not running them."""
    magics = []
    shell = types.SimpleNamespace(run_line_magic=lambda name, line: magics.append((name, line)))
    code = TransformerManager().transform_cell(environment.FIRST_CELL)
    exec(compile(code, "<first cell>", "exec"), {"get_ipython": lambda: shell})
    return magics


def test_first_cell_in_colab_installs_the_package_and_enables_widgets(colab):
    magics = run_first_cell()
    assert len(magics) == 1, magics
    name, line = magics[0]
    assert name == "pip" and line.startswith("install --quiet ")
    assert '"nndl-backprop @ git+https://github.com/OWNER/nndl-backprop"' in line
    assert '"ipympl"' in line
    assert colab == ["enable_custom_widget_manager"]


def test_first_cell_elsewhere_does_nothing(not_colab):
    assert run_first_cell() == []


def test_first_cell_never_installs_the_notebooks_extra():
    """Upgrading Colab's own matplotlib or ipywidgets would break its running kernel."""
    assert "[notebooks]" not in environment.FIRST_CELL
    assert "import nndl_backprop" not in environment.FIRST_CELL  # not installed yet in Colab


def test_colab_setup_in_colab_installs_and_enables_widgets(colab):
    installed = []
    said = environment.colab_setup(install=installed.append)
    assert installed == [list(environment.COLAB_REQUIREMENTS)]
    assert colab == ["enable_custom_widget_manager"]
    assert said.startswith("Google Colab: installed nndl-backprop @ git+")


def test_colab_setup_elsewhere_does_nothing_and_says_so(not_colab):
    installed = []
    said = environment.colab_setup(install=installed.append)
    assert installed == []
    assert said == "Not in Google Colab: nothing installed, nothing changed."
    assert environment.in_colab() is False


def test_report_lists_versions_frontend_and_backend(not_colab, monkeypatch):
    monkeypatch.setenv("VSCODE_PID", "1")
    report = environment.check_environment()
    assert report.frontend == "VS Code"
    assert report.versions["numpy"] == metadata.version("numpy")
    assert report.versions["ipympl"] == metadata.version("ipympl")
    assert report.backend.lower() == "agg"  # MPLBACKEND=Agg in make test
    text = str(report)
    assert f"numpy {metadata.version('numpy')}" in text
    assert "front-end (probably): VS Code" in text
    assert "not installed" not in text.replace("notebook not installed", "")


def test_report_says_what_to_do_when_packages_are_missing(not_colab, monkeypatch):
    for name in ("ipywidgets", "matplotlib"):
        monkeypatch.setitem(sys.modules, name, None)  # import now raises ImportError
    real_version = metadata.version

    def version(name):
        if name == "ipympl":
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(metadata, "version", version)
    for key in ("VSCODE_PID", "VSCODE_CWD", "JPY_SESSION_NAME"):
        monkeypatch.delenv(key, raising=False)
    report = environment.check_environment()
    assert report.versions["ipywidgets"] is report.versions["ipympl"] is None
    assert report.backend is None and report.frontend == "unknown"
    advice = "\n".join(report.advice())
    assert "ipympl is not installed: figures will be static images; `%pip install ipympl`" in advice
    assert "ipywidgets is not installed: sliders and menus cannot appear" in advice
    assert "matplotlib is not installed: no figure can be drawn" in advice
    assert "<code>%pip install ipympl</code>" in report._repr_html_()
    assert "widgets work" not in report._repr_html_()  # no probe is promised without ipywidgets
    assert report.widgets_answered() is None


def test_old_ipywidgets_and_still_images_are_explained():
    report = environment.EnvironmentReport(
        "3.11.0",
        {"numpy": "2.0", "matplotlib": "3.9", "ipywidgets": "7.7.1", "ipympl": "0.9.3"},
        "Google Colab",
        "module://matplotlib_inline.backend_inline",
    )
    advice = report.advice()
    assert any(a.startswith("ipywidgets 7.7.1 is older than this series expects") for a in advice)
    assert any("`%matplotlib widget` makes figures interactive" in a for a in advice)
    assert not report.interactive_figures
    for backend in ("widget", "ipympl", "module://ipympl.backend_nbagg"):
        report.backend = backend
        assert report.interactive_figures and report.advice() == advice[:1], backend


def test_the_probe_widget_reports_when_the_front_end_draws_it(not_colab, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    report = environment.check_environment()
    assert report.widgets_answered() is None  # not displayed yet
    report._ipython_display_()
    summary, probe = shown
    assert "If you can read 'widgets work' just below" in summary["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in probe
    assert probe["text/plain"].startswith("Widgets are not shown here")  # what others see
    assert "widgets work" in report._probe.value  # set once the fallback text was sent
    assert report.widgets_answered() is False  # no front-end has answered
    report._probe._view_count = 1  # what JupyterLab's widget manager sends once it draws it
    assert report.widgets_answered() is True


def test_importing_environment_imports_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, nndl_backprop.environment; "
        "print([m for m in ('matplotlib', 'ipywidgets', 'ipympl') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
