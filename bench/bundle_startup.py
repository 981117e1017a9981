"""Start-up of the downloadable app against the source install, measured in one run.

Unpacks the archive that ``python3 dev.py bundle`` made into a temporary folder, as a user
would, and times each launch until the window has been shown and pictured (``gui
--screenshot``, offscreen, minus the fixed screenshot delay; quitting is included), with
``env -i`` and an empty HOME. The first launch of the unpacked bundle is its cold start (a new
data folder; its files are in the page cache, having just been unpacked); the median of the
later ones is the warm start. ``python -m app`` from ``.venv`` is timed the same way. Last
line: ``bundle_startup_s <cold> <warm> source_s <cold> <warm> ratio <warm bundle / warm source>``.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = 4


def _builder() -> object:
    spec = importlib.util.spec_from_file_location("build_bundle", REPO / "bundle" / "build_bundle.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _launch(command: list[str], home: Path, shot: Path, delay_s: float) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["/usr/bin/env", "-i", f"HOME={home}", "QT_QPA_PLATFORM=offscreen", *command, "gui", "--screenshot", str(shot)],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=REPO,
    )
    return time.perf_counter() - start - delay_s


def _times(command: list[str], work: Path, delay_s: float) -> tuple[float, float]:
    home = work / f"home-{len(list(work.iterdir()))}"
    home.mkdir()
    times = [_launch(command, home, work / "shot.png", delay_s) for _ in range(RUNS + 1)]
    return times[0], statistics.median(times[1:])


def main() -> None:
    sys.path.insert(0, str(REPO))
    from ui.launch import SCREENSHOT_DELAY_MS

    builder = _builder()
    archive = builder.DIST / f"Fieldmat-{builder.version()}-{builder.platform_tag()}.tar.gz"  # type: ignore[attr-defined]
    if not archive.is_file():
        raise SystemExit(f"no {archive}: run python3 dev.py bundle first")
    delay = SCREENSHOT_DELAY_MS / 1000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        with tarfile.open(archive) as tar:
            tar.extractall(work / "unpacked", filter="tar")
        unpack_s = time.perf_counter() - started
        print(f"archive {archive.name}: {archive.stat().st_size / 1e6:.0f} MB, unpacked in {unpack_s:.1f} s")
        bundle = _times([str(work / "unpacked" / "Fieldmat" / "fieldmat")], work, delay)
        source = _times([str(REPO / ".venv" / "bin" / "python"), "-m", "app"], work, delay)
    print(f"bundle: cold {bundle[0]:.2f} s, warm {bundle[1]:.2f} s")
    print(f"source: cold {source[0]:.2f} s, warm {source[1]:.2f} s")
    print(
        f"bundle_startup_s {bundle[0]:.2f} {bundle[1]:.2f} source_s {source[0]:.2f} {source[1]:.2f} "
        f"ratio {bundle[1] / source[1]:.2f}"
    )


if __name__ == "__main__":
    main()
