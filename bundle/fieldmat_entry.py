"""The bundle's entry script: PyInstaller runs this file as ``__main__``.

``app.__main__`` is the composition root; this only hands over to it, so the bundle and
``python -m app`` start the same way.
"""

import multiprocessing
import sys

from app.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op except in a frozen Windows app that spawns processes
    sys.exit(main())
