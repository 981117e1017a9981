"""Fieldmat core: settings, database, domain services and the headless CLI.

Nothing in this package imports Qt (enforced by import-linter); the one exception is
``app.__main__``, the entry point that opens the window.
"""

__version__ = "0.1.0"
