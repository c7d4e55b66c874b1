"""The Binder configuration, checked without Docker.

repo2docker, when a ``binder/`` folder exists, ignores the root pyproject.toml and builds the
image from ``binder/`` alone: a Python picked by ``runtime.txt``, ``pip install -r
binder/requirements.txt`` from the repository's root, then ``binder/postBuild``. These tests
rebuild that environment in a fresh virtualenv from a copy of the repository, in the same order,
and execute every notebook in it; and they ask repo2docker itself (``--no-build``, which needs no
Docker daemon) to accept the folder and show the steps it would run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
# The series' notebooks; the demo pages call the same builders and run in the browser tests.
NOTEBOOKS = [
    p for p in sorted((REPO / "notebooks").rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts
]
# Folders of a working tree that a fresh clone does not have.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "*.egg-info",
    "build",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "test-artifacts",
    ".ipynb_checkpoints",
)


def _requirement_name(line: str) -> str:
    """The normalised project name of one requirement line: 'ipympl>=0.9' -> 'ipympl'."""
    return re.split(r"[\s<>=!~;\[]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _runtime_version() -> str:
    text = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", text)
    assert match, f"binder/runtime.txt should read like 'python-3.11', got {text!r}"
    return match.group(1)


def test_runtime_txt_pins_a_supported_python():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    version = _runtime_version()
    required = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.search(r">=\s*(3\.\d+)", required).group(1)
    as_tuple = lambda v: tuple(int(p) for p in v.split("."))  # noqa: E731
    assert as_tuple(version) >= as_tuple(minimum), f"runtime {version} < requires-python {minimum}"


def test_requirements_cover_the_package_and_notebook_dependencies():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    needed = {_requirement_name(r) for r in project["dependencies"]}
    needed |= {_requirement_name(r) for r in project["optional-dependencies"]["notebooks"]}
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    listed = {_requirement_name(x) for x in lines if x.strip() and not x.startswith("#")}
    missing = needed - listed
    assert not missing, f"binder/requirements.txt lacks {sorted(missing)} (from pyproject.toml)"


def test_postbuild_is_an_executable_bash_script():
    post = BINDER / "postBuild"
    assert post.read_text().startswith("#!/usr/bin/env bash\n")
    assert os.access(post, os.X_OK), "binder/postBuild must be executable (chmod +x)"


def test_lab_overrides_are_valid_settings():
    """Each plugin's overrides must validate against the schema JupyterLab ships for it."""
    jsonschema = pytest.importorskip("jsonschema")
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    overrides = json.loads((BINDER / "overrides.json").read_text())
    for plugin, values in overrides.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        unknown = set(values) - set(schema["properties"])
        assert not unknown, f"{plugin} has no setting(s) {sorted(unknown)}"
        jsonschema.validate(values, schema)


def test_repo2docker_accepts_the_binder_folder(tmp_path):
    """`repo2docker --no-build` reads binder/ and prints the Dockerfile it would build."""
    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent))
    if repo2docker is None:
        pytest.skip("repo2docker is not installed: pip install jupyter-repo2docker")
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo, ignore=NOT_IN_A_CLONE)
    result = subprocess.run(
        [repo2docker, "--no-build", "--debug", str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert f"python={_runtime_version()}" in log, "repo2docker did not pick runtime.txt's Python"
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in log
    assert "./binder/postBuild" in log
    # With binder/ present the root pyproject.toml must not be used to install anything.
    assert "pip install --no-cache-dir ." not in log


def _clean_env(venv: Path, scratch: Path) -> dict[str, str]:
    """The environment of a fresh container: the venv first on PATH, no project settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    for key in ("MPLBACKEND", "VIRTUAL_ENV", "IPYTHONDIR"):
        env.pop(key, None)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["JUPYTER_DATA_DIR"] = str(scratch / "data")  # no kernelspecs from the user's home
    env["JUPYTER_CONFIG_DIR"] = str(scratch / "config")
    env["IPYTHONDIR"] = str(scratch / "ipython")
    env["MPLCONFIGDIR"] = str(scratch / "mpl")
    return env


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A copy of the repository with a venv built from binder/ as repo2docker would build it."""
    root = tmp_path_factory.mktemp("binder")
    repo, venv = root / "repo", root / "venv"
    shutil.copytree(REPO, repo, ignore=NOT_IN_A_CLONE)
    version = _runtime_version()
    python = shutil.which(f"python{version}")
    if python is None:  # the image would have it; here we can only say which one we used
        python = sys.executable
        print(f"python{version} not found; built the Binder venv with {sys.version.split()[0]}")
    env = _clean_env(venv, root)
    subprocess.run([python, "-m", "venv", str(venv)], check=True)

    def run(cmd: list[str]) -> None:
        done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}"

    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    run([*pip, "-r", "binder/requirements.txt"])  # repo2docker: from the root, this path
    run(["./binder/postBuild"])
    return repo, venv, env


def test_postbuild_installed_the_package_and_the_lab_settings(binder_env):
    repo, venv, env = binder_env
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import nndl_backprop; print(nndl_backprop.__file__)"],
        cwd=venv,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(venv) in where, f"nndl_backprop imported from {where}, not from the Binder venv"
    settings = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(settings.read_text()) == json.loads((BINDER / "overrides.json").read_text())
    voila = venv / "etc" / "jupyter" / "voila.json"
    assert voila.exists(), "postBuild should install demos/voila.json for Binder's Voila"
    # The server sends kernel messages without Nagle's delay (nndl_backprop/serving.py).
    configured = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from jupyter_server.serverapp import ServerApp; app = ServerApp(); "
            "app.load_config_file(); "
            "print(app.config.ServerApp.kernel_websocket_connection_class)",
        ],
        cwd=venv,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert configured == "nndl_backprop.serving.NoDelayConnection"


def test_the_lock_pins_every_package_the_binder_image_installs(binder_env):
    """pip found nothing to add to binder/requirements.txt: the lock is closed and exact."""
    repo, venv, env = binder_env
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("#")[0].strip().split("==")
            pins[canonicalize_name(name)] = Version(version)
    # pip and setuptools come with the venv; postBuild installs the package itself.
    unpinned = {
        canonicalize_name(p["name"]): p["version"]
        for p in json.loads(listed)
        if canonicalize_name(p["name"]) not in {"pip", "setuptools", "nndl-backprop"}
        and pins.get(canonicalize_name(p["name"])) != Version(p["version"])
    }
    assert not unpinned, f"installed but not pinned at that version in the lock: {unpinned}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_runs_in_the_binder_environment(binder_env, notebook, tmp_path):
    repo, venv, env = binder_env
    source = repo / notebook.relative_to(REPO)
    result = subprocess.run(
        [
            str(venv / "bin" / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=python3",
            "--ExecutePreprocessor.timeout=600",
            "--output-dir",
            str(tmp_path),
            str(source),
        ],
        cwd=source.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # nbconvert ends its log with the failing cell and its error: the useful part.
    assert result.returncode == 0, f"{notebook.name} failed in the Binder venv:\n" + "\n".join(
        line for line in result.stderr.splitlines()[-40:] if line.strip()
    )
    executed = json.loads((tmp_path / notebook.name).read_text())
    errors = [
        out
        for cell in executed["cells"]
        for out in cell.get("outputs", [])
        if out["output_type"] == "error"
    ]
    assert not errors, errors
