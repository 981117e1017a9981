"""``dev.py``: a user's ``run`` install holds the app alone; the test tools come with ``test``."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_TOOLS = {"pytest", "pytest-qt", "pytest-timeout", "ruff", "mypy", "import-linter", "pyinstaller"}


def _dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", REPO / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_extras_follow_the_command_and_are_kept_when_switching() -> None:
    dev = _dev()
    pick = dev.extras_to_install
    assert pick(None, "d1", ()) == []  # a fresh clone's `run`: the app alone
    assert pick(None, "d1", ("test",)) == ["test"]
    ran = json.dumps({"digest": "d1", "extras": []})
    assert pick(ran, "d1", ()) is None  # nothing to do
    assert pick(ran, "d1", ("test",)) == ["test"]
    tested = json.dumps({"digest": "d1", "extras": ["test"]})
    assert pick(tested, "d1", ()) is None  # `run` after `test` keeps the venv as it is: no thrash
    assert pick(tested, "d1", ("bundle",)) == ["bundle", "test"]
    assert pick(tested, "d2", ()) == ["test"]  # a new lock re-syncs what was there
    assert pick("d1", "d1", ()) is None  # a stamp from before extras: a test install
    assert pick("d1", "d2", ()) == ["test"]


def test_the_tests_may_write_bytecode_and_keep_the_rest_of_the_environment() -> None:
    dev = _dev()
    environ = {"PYTHONDONTWRITEBYTECODE": "1", "FIELDMAT_SHARED": "/data", "PATH": "/bin"}
    assert dev.environment_for_tests(environ) == {"FIELDMAT_SHARED": "/data", "PATH": "/bin"}
    assert environ["PYTHONDONTWRITEBYTECODE"] == "1"  # the caller's own is left alone
    # --fast: temp folders on the RAM disk where there is one, unless the caller chose a TMPDIR
    ram = dev.ram_temp_folder()
    assert dev.environment_for_tests(environ, fast=True).get("TMPDIR") == (None if ram is None else str(ram))
    assert dev.environment_for_tests({**environ, "TMPDIR": "/mine"}, fast=True)["TMPDIR"] == "/mine"
    if Path("/dev/shm").is_dir() and sys.platform == "linux":
        assert ram == Path("/dev/shm/fieldmat-tests") and ram.is_dir()


@pytest.mark.slow
def test_a_fresh_clone_run_installs_no_test_tool(tmp_path: Path) -> None:
    uv = REPO / ".tools" / "bin" / "uv"
    if not uv.exists():
        pytest.skip("uv is not installed in .tools (python3 dev.py test installs it)")
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("dev.py", "pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(REPO / name, clone / name)
    for package in ("app", "ui", "pose", "sync"):
        shutil.copytree(REPO / package, clone / package, ignore=shutil.ignore_patterns("__pycache__"))
    (clone / ".tools").symlink_to(REPO / ".tools")  # uv itself, from the checkout (no download)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "FIELDMAT_HOME": str(home)}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [sys.executable, "dev.py", "run", "--version"], cwd=clone, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-2].startswith("fieldmat ")  # the app runs from that install
    listed = subprocess.run(
        [
            str(clone / ".venv" / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(*sorted({d.metadata['Name'].lower() for d in m.distributions()}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = set(listed.stdout.split())
    print(f"{len(installed)} distributions: {' '.join(sorted(installed))}")
    assert {"pyside6", "mediapipe", "sqlmodel", "httpx", "fieldmat"} <= installed
    assert not installed & TEST_TOOLS, installed & TEST_TOOLS
