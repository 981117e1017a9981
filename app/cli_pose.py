"""CLI commands for the pose area (filled by that area's work)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this area's subcommands to ``subparsers``."""
