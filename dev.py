#!/usr/bin/env python3
"""Set up and run Fieldmat from a fresh clone with one command each.

    python3 dev.py run          # install (first time) and open Fieldmat
    python3 dev.py test         # install (first time) and run the whole test suite
    python3 dev.py test --fast  # the suite without MediaPipe and subprocess tests (~65 s on 2 cores)
    python3 dev.py check        # ruff, ruff format, mypy (one run, cached), import contracts
    python3 dev.py bundle       # build the self-contained app in dist/ (PyInstaller)
    python3 dev.py server       # install (first time) and run the club server's team API on SQLite

Needs only Python 3.11 or 3.12. Creates ``.venv`` beside this file and installs the exact
versions pinned in ``uv.lock`` (with uv from PyPI, itself pinned). Extra arguments are
passed on: ``python3 dev.py run match list``, ``python3 dev.py test -k match``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TOOLS = ROOT / ".tools"  # uv lives outside .venv: `uv sync` removes what the lock file does not list
UV_VERSION = "0.13.9"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# The optional dependency groups (pyproject.toml) each command needs: a user's `run` gets the
# app alone, no test tools; the tests cover the club server (server/) too, so `test` and
# `check` take its extra.
EXTRAS = {
    "run": (),
    "test": ("test", "server"),
    "check": ("test", "server"),
    "bundle": ("bundle",),
    "server": ("server",),
}


def _python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def _lock_digest() -> str:
    data = (ROOT / "uv.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    return hashlib.sha256(data).hexdigest()


def extras_to_install(stamp_text: str | None, digest: str, wanted: tuple[str, ...]) -> list[str] | None:
    """The extras to ``uv sync``, or None when ``.venv`` already has what is wanted.

    ``uv sync`` removes every package that the chosen extras do not list, so the extras
    installed before are kept: switching between ``run`` and ``test`` never reinstalls the
    test tools, and only a fresh clone's ``run`` is without them. A stamp from before extras
    were recorded (a bare digest) stands for a ``test`` install.
    """
    installed: list[str] = []
    same_lock = False
    if stamp_text is not None:
        try:
            stamp = json.loads(stamp_text)
            installed, same_lock = list(stamp["extras"]), stamp["digest"] == digest
        except (ValueError, KeyError, TypeError):
            installed, same_lock = ["test"], stamp_text == digest
    if same_lock and set(wanted) <= set(installed):
        return None
    return sorted(set(installed) | set(wanted))


def ensure_environment(command: str) -> None:
    if sys.version_info[:2] not in ((3, 11), (3, 12)):
        sys.exit(f"Fieldmat needs Python 3.11 or 3.12 (mediapipe 0.10.21); this is {sys.version.split()[0]}.")
    stamp = VENV / ".fieldmat-lock"
    digest = _lock_digest()
    extras = extras_to_install(stamp.read_text() if stamp.exists() else None, digest, EXTRAS[command])
    if extras is None:
        return
    if not _python().exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    uv = TOOLS / "bin" / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        # `uv sync` removes pip from .venv (the lock does not list it): bring it back if needed.
        if subprocess.run([str(_python()), "-m", "pip", "--version"], capture_output=True).returncode != 0:
            subprocess.run([str(_python()), "-m", "ensurepip"], check=True)
        subprocess.run(
            [str(_python()), "-m", "pip", "install", "-q", "--target", str(TOOLS), f"uv=={UV_VERSION}"], check=True
        )
    print("Installing the locked dependencies (first run takes a few minutes) ...", flush=True)
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(VENV)}
    extra_args = [arg for name in extras for arg in ("--extra", name)]
    subprocess.run(
        [str(uv), "sync", "--frozen", "--compile-bytecode", *extra_args, "--python", str(_python())],
        cwd=ROOT,
        env=env,
        check=True,
    )
    stamp.write_text(json.dumps({"digest": digest, "extras": extras}))


def compile_sources() -> None:
    """Byte-compile Fieldmat's own packages, as installing a wheel would.

    ``uv sync --compile-bytecode`` compiles the dependencies but not this checkout, and where
    PYTHONDONTWRITEBYTECODE is set Python would otherwise recompile every module at every
    launch (~0.1 s of start-up). Only changed files are recompiled.
    """
    subprocess.run(
        [str(_python()), "-m", "compileall", "-q", *(str(ROOT / p) for p in ("app", "ui", "pose", "sync", "server"))],
        check=True,
    )


def ensure_test_tools() -> None:
    """Node tools the tests use (Stoplight Prism for the WHOOP contract test), from package-lock.json."""
    lock = ROOT / "package-lock.json"
    if not lock.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not installed: the tests that need Prism will be skipped.", flush=True)
        return
    stamp = ROOT / "node_modules" / ".fieldmat-lock"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Installing the locked test tools (npm ci) ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    stamp.write_text(digest)


# The tests `test --fast` leaves out (markers registered in pyproject.toml): they load the
# MediaPipe model or start another process, and take most of the suite's time. The rest runs
# on every core (pytest-xdist); it is CPU-bound (sync runs against in-process servers), the
# tests' waits for timeouts and retries being short or injected.
FAST_DESELECT = "not slow and not mediapipe and not subprocess"
# Only the folders of failed tests are kept: the fast loop's temp folders are on a RAM disk.
FAST_ARGS = ("-m", FAST_DESELECT, "-n", "auto", "-o", "tmp_path_retention_policy=failed")
RAM_DISK = Path("/dev/shm")

# What `check` runs, in order; mypy's paths come from pyproject.toml ([tool.mypy] files) and
# its cache (.mypy_cache) is the one the test suite's quality gate uses too.
CHECKS = (
    ("ruff check", ("ruff", "check", ".")),
    ("ruff format", ("ruff", "format", "--check", ".")),
    ("mypy", ("mypy",)),
    ("import contracts", ("lint-imports",)),
)


def check() -> int:
    """Run every static check (all of them, even after a failure); non-zero if any failed."""
    failed = []
    started = time.perf_counter()
    for name, (tool, *args) in CHECKS:
        t0 = time.perf_counter()
        code = subprocess.call([str(BIN / tool), *args], cwd=ROOT)
        print(f"-- {name}: {'ok' if code == 0 else 'FAILED'} ({time.perf_counter() - t0:.1f} s)", flush=True)
        if code != 0:
            failed.append(name)
    total = time.perf_counter() - started
    print(f"check: {'failed: ' + ', '.join(failed) if failed else 'all passed'} in {total:.1f} s", flush=True)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment(command)
    if command == "check":
        return check()
    compile_sources()
    if command == "run":
        args = [str(BIN / "fieldmat"), *rest]
    elif command == "bundle":
        args = [str(_python()), str(ROOT / "bundle" / "build_bundle.py"), *rest]
    elif command == "server":
        args = [str(BIN / "fieldmat-server"), "run", "--api", "team", *rest]
    else:
        fast = "--fast" in rest
        if fast:
            rest = [*FAST_ARGS, *(a for a in rest if a != "--fast")]
        else:
            ensure_test_tools()  # only the Prism contract test needs them; it is a subprocess test
        args = [str(_python()), "-m", "pytest", *rest]
        return subprocess.call(args, cwd=ROOT, env=environment_for_tests(os.environ, fast))
    return subprocess.call(args, cwd=ROOT)


def environment_for_tests(environ: Mapping[str, str], fast: bool = False) -> dict[str, str]:
    """The tests' environment: ``environ`` without PYTHONDONTWRITEBYTECODE; for ``--fast``,
    TMPDIR on a RAM disk when the system has one and the caller set no TMPDIR.

    pytest keeps the test modules it rewrote (for its assert messages) in ``__pycache__`` only
    where bytecode may be written; without that cache each xdist worker parses and compiles
    every test module again, 3-4 s per worker on this project. Every database a test writes
    commits with synchronous=FULL (as the app does): on a disk, each commit waits for an fsync,
    a third of the fast loop's time on a busy machine; on a RAM disk it returns at once.
    """
    env = {name: value for name, value in environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if fast and "TMPDIR" not in environ and (folder := ram_temp_folder()) is not None:
        env["TMPDIR"] = str(folder)
    return env


def ram_temp_folder() -> Path | None:
    """``/dev/shm/fieldmat-tests`` where /dev/shm is a folder that allows programs to run (Linux); else None."""
    try:
        if not RAM_DISK.is_dir() or os.statvfs(RAM_DISK).f_flag & os.ST_NOEXEC:
            return None
        folder = RAM_DISK / "fieldmat-tests"
        folder.mkdir(exist_ok=True)
        return folder
    except (OSError, AttributeError):  # no statvfs (Windows), no ST_NOEXEC, not writable
        return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
