"""The Binder lock against pyproject.toml, and the package as a wheel and an sdist.

The sdist holds what building and reading the package needs (the package, README.md,
pyproject.toml); the notebooks, demos and tests live in the repository, not in the sdist. Both
are built offline (``--no-isolation``: setuptools comes from the dev extra) and must pass
``twine check``. A fresh venv then installs the wheel without the package index and runs a
notebook with it. Its dependencies are those this test already runs with, linked into the venv
(everything except this project's own files), so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
LOCK = REPO / "binder" / "requirements.txt"
NOTEBOOK = REPO / "notebooks" / "01_notation.ipynb"  # small, and draws with ipympl widgets


def lock_pins() -> dict[str, Version]:
    """binder/requirements.txt as {canonical name: pinned version}; every line must be '=='."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement = Requirement(line.split(" #")[0])
        (spec,) = requirement.specifier  # exactly one clause ...
        assert spec.operator == "==", f"not pinned: {line!r}"  # ... and it pins
        pins[canonicalize_name(requirement.name)] = Version(spec.version)
    return pins


def test_the_lock_says_how_to_regenerate_it():
    assert "make lock" in LOCK.read_text().splitlines()[0]


def test_the_lock_satisfies_pyproject():
    """Every core and "notebooks" requirement is pinned inside its pyproject.toml range."""
    pins = lock_pins()
    wanted = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["notebooks"]]
    problems = []
    for requirement in map(Requirement, wanted):
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name} is not in the lock")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}=={pinned} is outside {requirement.specifier}")
    assert not problems, "binder/requirements.txt vs pyproject.toml: " + "; ".join(problems)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist, then the wheel built from it, of a clean copy of the repository."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    leave_out = (".git", ".venv", "*.egg-info", "build", "__pycache__", ".*_cache", "test-*")
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*leave_out))
    # build makes the sdist, unpacks it and builds the wheel from that: the sdist must suffice.
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(root / "dist"), "."],
        cwd=source)
    return root / "dist"


def test_sdist_and_wheel_pass_twine_check(dist):
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"], files
    run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)])


def test_sdist_and_wheel_hold_the_package_and_nothing_else(dist):
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "nndl_backprop").rglob("*.py")}
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        in_sdist = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert modules | {"README.md", "pyproject.toml"} <= in_sdist
    assert not {n.split("/")[0] for n in in_sdist} & {"notebooks", "tests", "demos", "binder"}
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as zipped:
        in_wheel = set(zipped.namelist())
    assert modules <= in_wheel, f"missing from the wheel: {sorted(modules - in_wheel)}"
    dist_info = f"{wheel.name.split('-')[0]}-{PROJECT['version']}.dist-info"
    assert {n.split("/")[0] for n in in_wheel} == {"nndl_backprop", dist_info}


def fresh_venv(root: Path) -> Path:
    """A new venv that sees this test's installed packages, but not this project's files."""
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    deps = root / "deps"
    deps.mkdir()
    ours = re.compile(r"(nndl_backprop|__editable__).*|.*\.pth")
    for site in dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib")):
        for entry in Path(site).iterdir():
            if not ours.fullmatch(entry.name) and not (deps / entry.name).exists():
                (deps / entry.name).symlink_to(entry)
    purelib = run([str(venv / "bin" / "python"), "-c",
                   "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    (Path(purelib) / "test_dependencies.pth").write_text(f"{deps}\n")
    return venv


def test_a_fresh_venv_installs_the_wheel_and_runs_a_notebook(dist, tmp_path):
    venv = fresh_venv(tmp_path)
    python = str(venv / "bin" / "python")
    (wheel,) = dist.glob("*.whl")
    # Offline: pip may take nothing from an index, so numpy and the "notebooks" extra must be
    # met by what is already there, and the wheel's metadata must name them right.
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-index",
         f"{wheel}[notebooks]"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON", "MPL"))}
    env |= {name: str(tmp_path / name) for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR",
                                                    "IPYTHONDIR", "MPLCONFIGDIR")}
    work = tmp_path / "work"  # not the repository: nndl_backprop must come from the venv
    work.mkdir()
    script = f"""
import nbformat, nbclient
nb = nbformat.read({str(NOTEBOOK)!r}, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import json, sys, nndl_backprop; print(json.dumps([nndl_backprop.__file__, sys.prefix]))"))
nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
print(nb.cells[-1].outputs[0]["text"])
"""
    done = run([python, "-c", script], cwd=work, env=env)
    imported_from, kernel_prefix = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(kernel_prefix) == venv, f"the kernel ran in {kernel_prefix}, not the fresh venv"
    assert Path(imported_from).is_relative_to(venv), f"nndl_backprop came from {imported_from}"
