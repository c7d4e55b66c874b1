"""Servers and a browser for the real-browser tests.

One JupyterLab server and one Voila server per test session, each on 127.0.0.1 with a free port
and a random token, serving a scratch copy of the notebooks (so autosave never touches the
repository), and stopped when the session ends. Chromium is Debian's (/usr/bin/chromium), driven
by Playwright; without it every browser test skips, saying how to install it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The fixture notebook is served to the browser, not collected by `pytest --nbval`.
collect_ignore_glob = ["fixtures/*"]
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("NNDL_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps calling home, which a closed network
# answers with a flood of refused connections.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = (
    "the browser tests need Debian's Chromium at {path}: install it with "
    "`apt-get update && apt-get install -y chromium chromium-driver` (never `playwright install`)"
)
# Settings used only by the tests, on top of binder/overrides.json: render every cell (no
# virtual scrolling) so screenshots of cells far down a notebook are painted, and never autosave.
TEST_LAB_SETTINGS = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Jupyter-family server started as a subprocess; ``url(path)`` adds the token."""

    def __init__(self, name: str, cmd: list[str], port: int, token: str, env, cwd, log: Path):
        self.name, self.port, self.token, self.log = name, port, token, log
        self.base = f"http://127.0.0.1:{port}"
        self._log_file = log.open("w")
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
            start_new_session=True,  # its kernels share its process group, stopped together
        )

    def url(self, path: str, query: str = "") -> str:
        sep = "&" if query else ""
        return f"{self.base}/{path}?{query}{sep}token={self.token}"

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{self.name} not ready in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._log_file.close()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(INSTALL_HINT.format(path=CHROMIUM))
    pytest.importorskip("playwright", reason="pip install playwright (the Python package only)")
    return CHROMIUM


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def site(tmp_path_factory, chromium_path) -> Path:
    """Scratch copy of what the servers serve: notebooks/, demos/ and the test fixtures."""
    root = tmp_path_factory.mktemp("site")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for name in ("notebooks", "demos"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=ignore)
    shutil.copytree(Path(__file__).parent / "fixtures", root / "fixtures", ignore=ignore)
    return root


def clean_jupyter_env(root: Path) -> dict[str, str]:
    """The environment of a clean Jupyter under ``root``: no user config, settings or kernels
    from the home folder (the benchmarks start their servers with it too)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MPLBACKEND"))}
    env.update(
        JUPYTER_CONFIG_DIR=str(root / "config"),
        JUPYTER_DATA_DIR=str(root / "data"),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(root / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
        IPYTHONDIR=str(root / "ipython"),
        MPLCONFIGDIR=str(root / "mpl"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict[str, str]:
    """A clean Jupyter environment for the test session's servers."""
    return clean_jupyter_env(tmp_path_factory.mktemp("jupyter-home"))


def start_jupyterlab(
    site: Path, env: dict, settings: Path, log: Path, extra: dict | None = None
) -> Server:
    """JupyterLab serving ``site`` on 127.0.0.1, with the shipped Binder settings
    (binder/overrides.json) and ``extra`` on top (the tests' own, TEST_LAB_SETTINGS, unless
    told otherwise) written into the empty folder ``settings``. The benchmarks start theirs
    with it too, with ``extra={}``: JupyterLab as a student gets it."""
    overrides = json.loads((REPO / "binder" / "overrides.json").read_text())
    overrides.update(TEST_LAB_SETTINGS if extra is None else extra)
    (settings / "overrides.json").write_text(json.dumps(overrides))
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={site}",
        f"--LabApp.app_settings_dir={settings}", "--LabApp.expose_app_in_browser=True",
        "--ServerApp.allow_root=True",  # CI runs as root; harmless otherwise
        "--ServerApp.kernel_websocket_connection_class=nndl_backprop.serving.NoDelayConnection",
    ]
    return Server("JupyterLab", cmd, port, token, env, site, log)


@pytest.fixture(scope="session")
def lab_server(site, server_env, tmp_path_factory, artifacts):
    """JupyterLab with the shipped Binder settings (binder/overrides.json) in force."""
    settings = tmp_path_factory.mktemp("lab-app-settings")
    server = start_jupyterlab(site, server_env, settings, artifacts / "lab-server.log")
    try:
        server.wait_ready("api/status")
        yield server
    finally:
        server.stop()


def _voila(site, env, log: Path):
    """Voila serving the scratch site with demos/voila.json as its config (read from its cwd)."""
    shutil.copy(REPO / "demos" / "voila.json", site / "voila.json")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1",
        f"--port={port}", "--Voila.port_retries=0", f"--token={token}", str(site),
    ]
    server = Server("Voila", cmd, port, token, env, site, log)
    try:
        server.wait_ready("")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def voila_server(site, server_env, artifacts):
    yield from _voila(site, server_env, artifacts / "voila-server.log")


@pytest.fixture(scope="session")
def static_voila_server(site, server_env, artifacts):
    """Voila whose kernels render figures as static images (NNDL_RENDERING=static): what a
    page shows where ipympl's front-end is missing."""
    env = {**server_env, "NNDL_RENDERING": "static"}
    yield from _voila(site, env, artifacts / "voila-static-server.log")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _new_page(browser):
    """A page at a projector-like size in its own context. Uncaught exceptions are kept in
    ``page.errors``, console errors in ``page.console_errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # Only this machine's servers: the pages' links to CDNs would fail on a closed network anyway.
    context.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith("http://127.0.0.1:")
        else route.abort(),
    )
    new_page = context.new_page()
    new_page.errors, new_page.console_errors = [], []
    new_page.on("pageerror", lambda exc: new_page.errors.append(str(exc)))
    new_page.on(
        "console",
        lambda msg: new_page.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    new_page.set_default_timeout(30_000)
    return context, new_page


@pytest.fixture
def page(browser):
    """A fresh page (see :func:`_new_page`), closed after the test."""
    context, new_page = _new_page(browser)
    yield new_page
    context.close()


@pytest.fixture(scope="session")
def lab_page(browser, lab_server):
    """One JupyterLab page for all tests (loading the app once); each test opens its notebook
    in it and closes it again. ``window.jupyterapp`` is the app (expose_app_in_browser)."""
    context, lab = _new_page(browser)
    lab.goto(lab_server.url("lab", "reset"))
    lab.wait_for_function("() => window.jupyterapp !== undefined", timeout=90_000)
    lab.evaluate("() => window.jupyterapp.restored")
    lab.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    yield lab
    context.close()
