"""Startup benchmark: from launching the process to a shown main window.

Runs the real start path (AppContext.create + MainWindow + show) in a child process,
offscreen, and reports wall times measured by the parent (interpreter start and imports
included). The first run creates the database (first launch after install); the reported
figure is the median of the following runs on that existing data folder, which is what a
user sees every day. Last line: ``startup_s <seconds>``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = 5


def child() -> None:
    from PySide6.QtWidgets import QApplication

    from app.context import AppContext
    from ui.main_window import MainWindow

    qt_app = QApplication(sys.argv)
    ctx = AppContext.create()
    window = MainWindow(ctx)
    window.show()
    qt_app.processEvents()
    # Loaded later (first Start, warm-up after the first paint, first sync), never before.
    heavy = sorted(m for m in ("mediapipe", "cv2", "pyqtgraph", "numpy", "httpx", "keyring") if m in sys.modules)
    print(f"shown heavy_modules={','.join(heavy) or 'none'}", flush=True)
    window.close()
    ctx.close()


def main() -> None:
    # Bytecode as an installed app has it (see dev.py: compile_sources); a no-op when current.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "app", "ui", "pose", "sync"], cwd=REPO, check=True)
    times = []
    heavy = ""
    with tempfile.TemporaryDirectory() as home:
        for _ in range(RUNS + 1):
            env = {
                **os.environ,
                "FIELDMAT_HOME": home,
                "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            }
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, __file__, "--child"], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
            )
            assert proc.stdout is not None
            line = proc.stdout.readline()
            elapsed = time.perf_counter() - start
            proc.wait(timeout=30)
            if not line.startswith("shown"):
                raise SystemExit(f"child failed: {line!r}")
            heavy = line.split("=", 1)[1].strip()
            times.append(elapsed)
    first, rest = times[0], times[1:]
    print(f"first launch (creates the database): {first:.3f} s")
    print(f"later launches: {', '.join(f'{t:.3f}' for t in rest)} s; heavy modules at startup: {heavy}")
    print(f"startup_s {statistics.median(rest):.3f}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(REPO))
        child()
    else:
        main()
