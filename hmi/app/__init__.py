"""Composition root: parse the command line, load settings, run the GUI, the service or a check.

Only this package and hmi.ui import Qt.
"""

from __future__ import annotations

import sys

from hmi.app.cli import build_parser
from hmi.app.logging_setup import configure_console_and_file
from hmi.config import SettingsError, load_settings
from hmi.store import DatabaseError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    configure_console_and_file(settings.log_level, settings.log_path)
    try:
        if args.headless:
            from hmi.app.headless import run_headless

            return run_headless(settings)
        print("The operator window is not available yet; run with --headless.", file=sys.stderr)
        return EXIT_USAGE
    except DatabaseError as exc:
        print(f"database error: {exc}", file=sys.stderr)
        return EXIT_FAILURE


__all__ = ["main"]
