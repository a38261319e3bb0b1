"""Log records go to the console, a rotating file in the data directory and system_log."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s | %(levelname)-7s | %(name)s | %(message)s"


def configure_console_and_file(level: str, log_dir: Path | None) -> Path | None:
    """Console always; a rotating file (10 x 5 MB) when a log directory is given."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(level)
    console.setFormatter(formatter)
    root.addHandler(console)
    log_file = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "batch-hmi.log"
        file_handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=10,
                                                            encoding="utf-8")
        file_handler.setLevel(level)
        file_handler.setFormatter(formatter)
        root.addHandler(file_handler)
    # Libraries are chatty at DEBUG/INFO; their warnings still come through.
    for noisy in ("sqlalchemy", "alembic", "uvicorn.access", "asyncio", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # pymodbus logs every failed connect and request (with frame dumps); hmi.plc reports link
    # state changes and failed requests itself, once and in words an operator can act on.
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
    return log_file


def add_handler(handler: logging.Handler) -> None:
    logging.getLogger().addHandler(handler)


def remove_handler(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()
