"""Where the notebooks run: the Google Colab guard, and a check of the environment in plain words.

Importing this module imports neither matplotlib nor ipywidgets; their versions are read inside
the functions, so the check also works, and says what to do, where they are missing.
"""

from __future__ import annotations

import html
import importlib
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata

__all__ = ["FIRST_CELL", "EnvironmentReport", "check_environment", "colab_setup", "in_colab"]

REPOSITORY = "https://github.com/OWNER/nndl-backprop"
# Colab already has numpy, matplotlib, ipywidgets and scikit-learn, and upgrading a library its
# kernel has already imported breaks that library until a restart. So Colab gets only this
# package and ipympl, whose requirements Colab's own versions meet: never the "notebooks" extra.
COLAB_REQUIREMENTS = (f"nndl-backprop @ git+{REPOSITORY}", "ipympl")

# The first code cell of every notebook. In a fresh Colab runtime the package is not installed
# yet, so this cell cannot import it: it is plain Python plus one %pip line, and does nothing
# where google.colab cannot be imported (JupyterLab, Voila, nbval, VS Code).
FIRST_CELL = f"""\
try:  # Google Colab only: install this package and turn on Colab's widget support
    from google.colab import output
except ImportError:
    pass
else:
    %pip install --quiet {" ".join(f'"{r}"' for r in COLAB_REQUIREMENTS)}
    output.enable_custom_widget_manager()"""

# Imported to read the version, since an import that fails is as good as missing.
IMPORTED = ("numpy", "matplotlib", "ipywidgets")
# Read from the installed metadata, never imported: importing ipympl after matplotlib switches
# matplotlib's backend, and the others belong to the front-end's server, not to the kernel.
NOT_IMPORTED = ("ipympl", "jupyterlab", "notebook", "voila")

INSTALL_ADVICE = {
    "numpy": "nothing in this series can run; `%pip install numpy`",
    "matplotlib": "no figure can be drawn; `%pip install matplotlib`",
    "ipywidgets": "sliders and menus cannot appear; `%pip install \"ipywidgets>=8,<9\"`",
    "ipympl": "figures will be static images; `%pip install ipympl` for interactive figures",
}
WIDGETS_WORK = "widgets work"
NOT_SHOWN = (
    "Widgets are not shown here, so sliders and interactive figures will not appear. "
    "Colab: run the notebook's first cell. JupyterLab: install ipywidgets where JupyterLab "
    "runs, then reload the page. VS Code: update the Jupyter extension."
)


def in_colab() -> bool:
    """True when running in Google Colab (``google.colab`` can be imported)."""
    try:
        importlib.import_module("google.colab")
    except ImportError:
        return False
    return True


def _pip_install(requirements: Sequence[str]) -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *requirements], check=True)


def colab_setup(
    requirements: Sequence[str] = COLAB_REQUIREMENTS,
    install: Callable[[Sequence[str]], None] = _pip_install,
) -> str:
    """In Colab: pip-install ``requirements`` and enable Colab's custom widget manager.

    Elsewhere it installs nothing, changes nothing, and says so. ``FIRST_CELL`` does the same
    before the package exists; this function is for once it is installed (after "Restart
    session", say). Returns a sentence saying what was done.
    """
    if not in_colab():
        return "Not in Google Colab: nothing installed, nothing changed."
    install(list(requirements))
    from google.colab import output

    output.enable_custom_widget_manager()
    return f"Google Colab: installed {', '.join(requirements)}; custom widget manager enabled."


def _imported_version(name: str) -> str | None:
    try:
        module = importlib.import_module(name)
    except Exception:  # an install that fails to import is reported as missing
        return None
    return getattr(module, "__version__", None) or metadata.version(name)


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _frontend() -> str:
    """The front-end the kernel probably serves; the kernel is never told, so env vars decide."""
    if in_colab():
        return "Google Colab"
    if "VSCODE_PID" in os.environ or "VSCODE_CWD" in os.environ:
        return "VS Code"
    if "JPY_SESSION_NAME" in os.environ:  # set by jupyter_server for the kernels it starts
        return "JupyterLab or Jupyter Notebook"
    return "unknown"


@dataclass
class EnvironmentReport:
    """Versions, the probable front-end, the matplotlib backend, and what to do about gaps.

    Displayed in a notebook, it also shows a tiny widget that reads "widgets work" only if the
    front-end draws widgets; elsewhere the front-end shows that output's plain-text fallback,
    which says widgets are not shown. A kernel cannot know this in the cell that displays the
    widget: the front-end's reply arrives only between cells. ``widgets_answered()``, called in
    a later cell, reads that reply (ipywidgets' view count); it cannot tell a front-end without
    widgets from one that is still loading, so False means "no answer yet", not "broken".
    """

    python: str
    versions: dict[str, str | None]  # package -> version, None when missing
    frontend: str
    backend: str | None  # matplotlib.get_backend(), None without matplotlib
    _probe: object | None = field(default=None, repr=False, compare=False)

    def advice(self) -> list[str]:
        """What to do, one plain sentence per problem found (empty when all is well)."""
        said = [
            f"{name} is not installed: {INSTALL_ADVICE[name]}, then restart the kernel."
            for name in INSTALL_ADVICE
            if self.versions[name] is None
        ]
        widgets = self.versions["ipywidgets"]
        if widgets is not None and int(widgets.split(".")[0]) < 8:
            said.append(
                f"ipywidgets {widgets} is older than this series expects (8.x): some controls"
                ' may fail; `%pip install -U "ipywidgets>=8,<9"`, then restart the kernel.'
            )
        if self.versions["ipympl"] and self.backend and not self.interactive_figures:
            said.append(
                f"matplotlib draws with its {self.backend!r} backend, as still images; "
                "`%matplotlib widget` makes figures interactive where ipympl's front-end works."
            )
        return said

    @property
    def interactive_figures(self) -> bool:
        """True when matplotlib draws with ipympl (named 'widget', 'ipympl' or its module)."""
        backend = (self.backend or "").lower()
        return backend in ("widget", "ipympl") or "ipympl" in backend

    def widgets_answered(self) -> bool | None:
        """True once the front-end has drawn the probe widget; None if it was never displayed."""
        if self._probe is None:
            return None
        return (self._probe._view_count or 0) > 0

    def _lines(self) -> list[str]:
        found = [f"{name} {v or 'not installed'}" for name, v in self.versions.items()]
        return [
            f"Python {self.python}; " + ", ".join(found),
            f"front-end (probably): {self.frontend}; matplotlib backend: {self.backend}",
        ]

    def __str__(self) -> str:
        todo = self.advice() or ["Everything this series needs is installed."]
        return "\n".join([*self._lines(), *todo])

    def _repr_html_(self) -> str:
        def as_html(text: str) -> str:
            return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))

        todo = self.advice() or ["Everything this series needs is installed."]
        items = "".join(f"<li>{as_html(t)}</li>" for t in todo)
        shown = "<br>".join(as_html(t) for t in self._lines())
        return f"<p>{shown}</p><ul>{items}</ul>" + (
            f"<p>If you can read '{WIDGETS_WORK}' just below, the widget front-end is answering."
            "</p>"
            if self.versions["ipywidgets"]
            else ""
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display({"text/plain": str(self), "text/html": self._repr_html_()}, raw=True)
        if self.versions["ipywidgets"] is None:
            return
        import ipywidgets

        probe = ipywidgets.HTML()
        probe._view_count = 0  # from now on the front-end reports each view it draws
        self._probe = probe
        if hasattr(probe, "_repr_mimebundle_"):
            # What a front-end without widgets shows instead of the widget.
            display({**probe._repr_mimebundle_(), "text/plain": NOT_SHOWN}, raw=True)
        else:  # ipywidgets 7: the fallback is the widget's repr, HTML(value='')
            display(probe)
        # Set only after display, so that no plain-text fallback can read "widgets work".
        probe.value = f"<b>{WIDGETS_WORK}</b>: the widget front-end is answering."


def check_environment() -> EnvironmentReport:
    """Versions of what the series uses, the probable front-end and matplotlib's backend.

    Display the result in a notebook to see it with its widget probe; call its
    ``widgets_answered()`` in a later cell (see ``EnvironmentReport`` for what that can know).
    """
    versions = {name: _imported_version(name) for name in IMPORTED}
    versions |= {name: _installed_version(name) for name in NOT_IMPORTED}
    backend = None
    if versions["matplotlib"] is not None:
        import matplotlib

        backend = matplotlib.get_backend()
    return EnvironmentReport(platform.python_version(), versions, _frontend(), backend)
