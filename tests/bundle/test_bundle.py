"""The built app (``python3 dev.py bundle``) on a machine without Python: every run here goes
through ``env -i`` (no PATH, no venv, an empty HOME), so the bundle finds nothing of this
checkout. CI builds the bundle once and sets FIELDMAT_REQUIRE_BUNDLE=1, which turns the skip
of a missing bundle into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app import __version__
from app.__main__ import run as cli_main
from app.context import AppContext
from app.db import DB_FILE
from app.logging_setup import LOG_FILE
from app.match import MatchService
from pose.library import PoseLibrary
from tests.emulators.server import LocalServer
from tests.emulators.team import TeamServer
from tests.match.conftest import FakeClock, make_squad
from tests.pose.caption_agreement import caption_agreement

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("FIELDMAT_BUNDLE", REPO / "dist" / "Fieldmat"))
MAX_UNPACKED_BYTES = 450_000_000
TOOLS = ("pytest", "_pytest", "pytestqt", "mypy", "ruff", "importlinter", "PyInstaller")
EMAIL, PASSWORD = "coach@example.org", "s3cret-Pa55word!"


@pytest.fixture(scope="module")
def executable() -> Path:
    exe = BUNDLE / "fieldmat"
    if not exe.is_file():
        message = f"no bundle at {BUNDLE} (python3 dev.py bundle builds it)"
        if os.environ.get("FIELDMAT_REQUIRE_BUNDLE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return exe


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty HOME: the bundle keeps its data where platformdirs says, under it."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def data_folder(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the source install keeps its data with that HOME: the bundle must use the same folder."""
    from app.config import data_dir

    monkeypatch.setenv("HOME", str(home))
    for name in ("FIELDMAT_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    folder = data_dir()
    folder.rmdir()  # data_dir() creates it; the bundle must make its own
    return folder


def _offline_prefix() -> list[str]:
    """``unshare -n`` (no network at all) where this user may create a network namespace."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def run_bundle(
    exe: Path,
    home: Path,
    *args: str,
    extra_env: tuple[str, ...] = (),
    prefix: list[str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    command = [*(prefix or []), "/usr/bin/env", "-i", f"HOME={home}", *extra_env, str(exe), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def test_bundle_is_lean(executable: Path) -> None:
    files = [p for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    print(f"bundle: {size / 1e6:.0f} MB unpacked in {len(files)} files")
    assert size <= MAX_UNPACKED_BYTES
    internal = BUNDLE / "_internal"
    assert not [name for name in TOOLS if (internal / name).exists()]
    assert not list(internal.glob("PySide6/Qt/lib/libQt6Quick*")) and not list(internal.glob("libQt6Quick*"))


def test_version_names_the_bundled_pose_model(executable: Path, home: Path) -> None:
    result = run_bundle(executable, home, "--version")
    assert result.returncode == 0, result.stderr
    first, model = result.stdout.strip().splitlines()
    assert first == f"fieldmat {__version__}"
    assert model.startswith("MediaPipe 0.10.21, pose model pose_landmark_full.tflite (bundled, ")
    assert result.stderr == ""


@pytest.mark.shared
def test_analyze_offline_agrees_with_the_captions_and_keeps_quiet(
    executable: Path, home: Path, data_folder: Path, shared_dir: Path
) -> None:
    video_dir = shared_dir / "data" / "yoga-video"
    result = run_bundle(
        executable, home, "analyze", str(video_dir / "yoga_warrior2_to_pyramid.mp4"), "--json", prefix=_offline_prefix()
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # MediaPipe's, TFLite's and absl's lines are in the log file instead
    agree, total = caption_agreement(json.loads(result.stdout), video_dir / "segments.csv", PoseLibrary.load())
    print(f"bundle agreement {agree}/{total} = {agree / total:.3f}")
    assert agree / total >= 0.95
    assert "XNNPACK" in (data_folder / LOG_FILE).read_text()


@pytest.fixture
def match_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, object]]:
    """A small fieldmat.match/1 file, exported by the source install."""
    source = tmp_path / "source-home"
    source.mkdir()
    monkeypatch.setenv("FIELDMAT_HOME", str(source))
    ctx = AppContext.create(source)
    try:
        clock = FakeClock()
        svc = MatchService(ctx.db, clock=clock)
        squad = make_squad(svc)
        svc.start_period(squad.match.id)
        clock.advance(10)
        svc.log_event(squad.match.id, "goal", "home", squad.players[9].id, squad.players[8].id)
        match_id = squad.match.id
    finally:
        ctx.close()
    path = tmp_path / "match.json"
    assert cli_main(["match", "export", match_id, "-o", str(path)]) == 0
    return path, json.loads(path.read_text())


def test_match_import_and_export(
    executable: Path, home: Path, tmp_path: Path, match_file: tuple[Path, dict[str, object]], data_folder: Path
) -> None:
    path, original = match_file
    imported = run_bundle(executable, home, "match", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "imported match" in imported.stdout and imported.stderr == ""
    assert (data_folder / DB_FILE).is_file()
    listed = run_bundle(executable, home, "match", "list")
    assert "Lions 1-0 Tigers" in listed.stdout, listed.stderr
    match_id = original["match"]["id"]  # type: ignore[index]
    out = tmp_path / "again.json"
    exported = run_bundle(executable, home, "match", "export", match_id, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    again = json.loads(out.read_text())
    assert again["match"] == original["match"] and again["events"] == original["events"]
    pdf = tmp_path / "match.pdf"
    printed = run_bundle(executable, home, "match", "export", match_id, "--format", "pdf", "-o", str(pdf))
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_connect_and_sync_status_against_a_loopback_server(executable: Path, home: Path) -> None:
    app = TeamServer()
    app.add_user(EMAIL, PASSWORD)
    with LocalServer(app) as server:
        connected = run_bundle(
            executable,
            home,
            "connect",
            "team",
            "--url",
            server.url,
            "--email",
            EMAIL,
            extra_env=(f"FIELDMAT_PASSWORD={PASSWORD}",),
        )
        assert connected.returncode == 0, connected.stdout + connected.stderr
        assert "Connected team" in connected.stdout
        synced = run_bundle(executable, home, "sync", "--status", "--json")
    assert synced.returncode == 0, synced.stderr
    rows = json.loads(synced.stdout)["providers"]
    assert any(row["provider"] == "team" for row in rows), rows


def test_gui_screenshot_under_xvfb(executable: Path, home: Path, tmp_path: Path) -> None:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb)")
    shot = tmp_path / "bundle-window.png"
    # xvfb-run picks the display; env -i then keeps only it (and its cookie) beside HOME.
    script = 'exec /usr/bin/env -i HOME="$1" DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" "$2" gui --screenshot "$3"'
    result = subprocess.run(
        [
            xvfb_run,
            "-a",
            "-s",
            "-screen 0 1280x860x24",
            "/bin/sh",
            "-c",
            script,
            "sh",
            str(home),
            str(executable),
            str(shot),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # Qt's plug-in warnings (speechd, xcb) are in the log file
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 600
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5
    keep = os.environ.get("FIELDMAT_BUNDLE_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
