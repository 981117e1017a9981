"""Build the self-contained Fieldmat app with PyInstaller and pack it for download.

Run by ``python3 dev.py bundle`` inside ``.venv`` (with the ``bundle`` extra). Writes
``dist/Fieldmat/`` (onedir: ``fieldmat`` and its libraries) and the download beside it:
``dist/Fieldmat-<version>-<os>-<arch>.tar.gz`` (``.zip`` on Windows). An AppImage is made too
when ``appimagetool`` is on PATH (no package registry that Fieldmat installs from has it).
Extra arguments go to PyInstaller.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "Fieldmat"
SPEC = ROOT / "bundle" / "fieldmat.spec"

# Files that PyInstaller's hooks collect but nothing in Fieldmat opens: translations of Qt's own
# dialogs, matplotlib's sample data and fonts (mediapipe imports matplotlib, nothing draws with
# it: one font is kept for its font manager), cv2's Haar cascades and its HighGUI window's Qt files.
_UNUSED = [
    "_internal/PySide6/Qt/translations",
    "_internal/matplotlib/mpl-data/sample_data",
    "_internal/matplotlib/mpl-data/fonts/afm",
    "_internal/matplotlib/mpl-data/fonts/pdfcorefonts",
    "_internal/matplotlib/mpl-data/fonts/ttf/[!DL]*",
    "_internal/matplotlib/mpl-data/fonts/ttf/DejaVu[!S]*",
    "_internal/matplotlib/mpl-data/fonts/ttf/DejaVuS[!a]*",
    "_internal/cv2/data",
    "_internal/cv2/qt",  # fonts and plug-ins for cv2.imshow windows, which Fieldmat never opens
]


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise SystemExit("app/__init__.py has no __version__")
    return found.group(1)


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
    return f"{system}-{machine}"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def strip_unused(bundle: Path) -> None:
    for pattern in _UNUSED:
        for target in bundle.glob(pattern):
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()


def pack(bundle: Path, archive_base: Path) -> Path:
    """The download: a .zip on Windows, else a .tar.gz whose one top folder is ``Fieldmat``."""
    if sys.platform == "win32":
        return Path(shutil.make_archive(str(archive_base), "zip", bundle.parent, bundle.name))
    archive = archive_base.with_name(archive_base.name + ".tar.gz")
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=bundle.name)
    return archive


def appimage(bundle: Path, out: Path) -> Path | None:
    """An AppImage of the bundle, when ``appimagetool`` is installed; None otherwise."""
    tool = shutil.which("appimagetool")
    if tool is None:
        return None
    appdir = bundle.parent / "Fieldmat.AppDir"
    shutil.rmtree(appdir, ignore_errors=True)
    shutil.copytree(bundle, appdir / "usr" / "lib" / "fieldmat", symlinks=True)
    shutil.copy(ROOT / "bundle" / "fieldmat.desktop", appdir / "fieldmat.desktop")
    shutil.copy(ROOT / "bundle" / "fieldmat.png", appdir / "fieldmat.png")
    (appdir / "AppRun").symlink_to("usr/lib/fieldmat/fieldmat")
    subprocess.run([tool, str(appdir), str(out)], check=True, env={**os.environ, "ARCH": platform.machine()})
    return out


def main(argv: list[str]) -> int:
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build"),
            *argv,
            str(SPEC),
        ],
        cwd=ROOT,
        check=True,
    )
    strip_unused(BUNDLE)
    base = DIST / f"Fieldmat-{version()}-{platform_tag()}"
    # macOS users get the .app (PyInstaller's BUNDLE step copies the folder into it).
    archive = pack(DIST / "Fieldmat.app" if sys.platform == "darwin" else BUNDLE, base)
    print(f"bundle: {BUNDLE} ({folder_size(BUNDLE) / 1e6:.0f} MB unpacked)")
    print(f"archive: {archive} ({archive.stat().st_size / 1e6:.0f} MB)")
    if sys.platform.startswith("linux"):
        image = appimage(BUNDLE, base.with_name(base.name + ".AppImage"))
        print(f"appimage: {image}" if image else "appimage: not built (appimagetool is not installed)")
    print(f"built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
