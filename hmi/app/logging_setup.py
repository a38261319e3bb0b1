"""Log records go to the console, a rotating file in the data directory and system_log.

The product's own records (loggers under ``hmi``) are written in its words and go
everywhere. Library records (pymodbus, qasync, uvicorn, Qt's warnings) go to the log file
only, and each condition once: a PLC that stays away would otherwise add the same
connect failure every few seconds.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path

LOG_FORMAT = "%(asctime)s | %(levelname)-7s | %(name)s | %(message)s"
PRODUCT_LOGGER = "hmi"

#: Library loggers and the level from which they are worth a line in the file.
LIBRARY_LEVELS = {
    "sqlalchemy": logging.WARNING,
    "alembic": logging.WARNING,
    "asyncio": logging.WARNING,
    "urllib3": logging.WARNING,
    "uvicorn": logging.WARNING,
    "uvicorn.access": logging.WARNING,
    "qasync": logging.WARNING,
    "pymodbus": logging.WARNING,
    "qt": logging.WARNING,
}


def is_product_record(record: logging.LogRecord) -> bool:
    return record.name == PRODUCT_LOGGER or record.name.startswith(PRODUCT_LOGGER + ".")


class OncePerCondition(logging.Filter):
    """Lets a library record through once per (logger, level, message with numbers masked).

    Port numbers, addresses and counters change between repeats of one condition; masking
    digits makes "connect to ('127.0.0.1', 35967) failed" one condition, not thousands.
    """

    _NUMBERS = re.compile(r"\d+")

    def __init__(self, max_conditions: int = 1000) -> None:
        super().__init__()
        self._seen: set[tuple[str, int, str]] = set()
        self._lock = threading.Lock()
        self._max = max_conditions

    def filter(self, record: logging.LogRecord) -> bool:
        if is_product_record(record):
            return True
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken library record is still one condition
            text = str(record.msg)
        key = (record.name, record.levelno, self._NUMBERS.sub("#", text)[:200])
        with self._lock:
            if key in self._seen:
                return False
            if len(self._seen) >= self._max:
                self._seen.clear()
            self._seen.add(key)
        return True


def configure_console_and_file(level: str, log_dir: Path | None) -> Path | None:
    """Console (product records) always; a rotating file (10 x 5 MB) when a log directory is given.

    Without a log file, library records go to the console instead (once per condition), so
    they are never lost entirely.
    """
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
        console.addFilter(is_product_record)
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "batch-hmi.log"
        file_handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=10,
                                                            encoding="utf-8")
        file_handler.setLevel(level)
        file_handler.setFormatter(formatter)
        file_handler.addFilter(OncePerCondition())
        root.addHandler(file_handler)
    else:
        console.addFilter(OncePerCondition())
    for name, library_level in LIBRARY_LEVELS.items():
        logging.getLogger(name).setLevel(library_level)
    return log_file


def route_qt_messages() -> None:
    """Qt's own warnings (platform plugins, fonts, style sheets) become 'qt' log records:
    file only, once per condition, never on the operator's screen or console."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind, _context, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def add_handler(handler: logging.Handler) -> None:
    logging.getLogger().addHandler(handler)


def remove_handler(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()
