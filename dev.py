#!/usr/bin/env python3
"""Set up and run Fieldmat from a fresh clone with one command each.

    python3 dev.py run     # install (first time) and open Fieldmat
    python3 dev.py test    # install (first time) and run the whole test suite
    python3 dev.py server  # install (first time) and run the club server's team API on SQLite

Needs only Python 3.11 or 3.12. Creates ``.venv`` beside this file and installs the exact
versions pinned in ``uv.lock`` (with uv from PyPI, itself pinned). Extra arguments are
passed on: ``python3 dev.py run match list``, ``python3 dev.py test -k match``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TOOLS = ROOT / ".tools"  # uv lives outside .venv: `uv sync` removes what the lock file does not list
UV_VERSION = "0.13.9"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
EXTRAS = ["--extra", "test", "--extra", "server"]  # the test tools, and the club server (server/) and its tests


def _python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def _lock_digest() -> str:
    data = (ROOT / "uv.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    return hashlib.sha256(data).hexdigest()


def ensure_environment() -> None:
    if sys.version_info[:2] not in ((3, 11), (3, 12)):
        sys.exit(f"Fieldmat needs Python 3.11 or 3.12 (mediapipe 0.10.21); this is {sys.version.split()[0]}.")
    stamp = VENV / ".fieldmat-lock"
    if stamp.exists() and stamp.read_text() == _lock_digest():
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
    subprocess.run(
        [str(uv), "sync", "--frozen", "--compile-bytecode", *EXTRAS, "--python", str(_python())],
        cwd=ROOT,
        env=env,
        check=True,
    )
    stamp.write_text(_lock_digest())


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


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "server"):
        print(__doc__)
        return 2
    ensure_environment()
    compile_sources()
    command, rest = argv[0], argv[1:]
    if command == "run":
        args = [str(BIN / "fieldmat"), *rest]
    elif command == "server":
        args = [str(BIN / "fieldmat-server"), "run", "--api", "team", *rest]
    else:
        ensure_test_tools()
        args = [str(_python()), "-m", "pytest", *rest]
    return subprocess.call(args, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
