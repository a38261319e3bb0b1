"""Start-up failures read in order (what failed, details, stopped); library lines go to the file once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hmi.app.logging_setup import OncePerCondition, is_product_record
from hmi.app.startup_errors import STOPPED_LINE, describe_startup_error
from hmi.store import DatabaseError, create_database_engine, migrate

ROOT = Path(__file__).resolve().parents[2]
REFUSING_DB = "postgresql+psycopg2://hmi:secret@127.0.0.1:1/hmi"


def test_database_refusal_is_one_line_first_then_details_then_stopped():
    engine = create_database_engine(REFUSING_DB)
    with pytest.raises(DatabaseError) as caught:
        migrate(engine)
    engine.dispose()
    failure = describe_startup_error(caught.value, REFUSING_DB)
    assert failure.headline == "Cannot connect to the database at 127.0.0.1:1: connection refused"
    lines = failure.lines()
    assert lines[0] == failure.headline and lines[-1] == STOPPED_LINE
    text = failure.text()
    assert "secret" not in text and "sqlalche.me" not in text and "psycopg2" not in text
    assert "Traceback" not in text


def test_gui_dialog_text_names_the_failure_first_and_stopped_last():
    from hmi.app.gui import startup_error_text
    from hmi.app.startup_errors import StartupFailure

    text = startup_error_text(StartupFailure("Cannot connect to the database at 127.0.0.1:1: connection refused",
                                             ["Is the server running on that host?"]), "/var/log/batch-hmi")
    assert text.startswith("Cannot connect to the database at 127.0.0.1:1: connection refused")
    assert text.index("Is the server running") < text.index("Log files:") < text.index("Batch HMI has stopped.")
    assert text.rstrip().endswith("Batch HMI has stopped.")


def test_start_up_failure_order_on_the_console(tmp_path):
    env = dict(os.environ, DATABASE_URL=REFUSING_DB, API_ENABLED="false", PLC_ENABLED="false",
               DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    (tmp_path / "settings.ini").write_text("")
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if "Cannot connect to the database at 127.0.0.1:1" in line)
    stopped = next(i for i, line in enumerate(lines) if "Batch HMI stopped" in line)
    assert first < stopped == len(lines) - 1, result.stderr
    assert "Traceback" not in result.stderr and "sqlalche.me" not in result.stderr
    assert "secret" not in result.stderr


def _record(name: str, message: str, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_library_lines_pass_once_per_condition_product_lines_always():
    once = OncePerCondition()
    assert once.filter(_record("pymodbus.logging", "Failed to connect ('127.0.0.1', 35967)"))
    assert not once.filter(_record("pymodbus.logging", "Failed to connect ('127.0.0.1', 35968)"))
    assert once.filter(_record("pymodbus.logging", "Repeating...."))
    assert once.filter(_record("qt", "This plugin does not support propagateSizeHints()"))
    assert not once.filter(_record("qt", "This plugin does not support propagateSizeHints()"))
    for _ in range(3):
        assert once.filter(_record("hmi.plc", "PLC not reachable at 10.0.0.5:502"))
    assert is_product_record(_record("hmi.sync", "x")) and not is_product_record(_record("hmiother", "x"))


def test_library_lines_reach_the_file_not_the_console(tmp_path, capsys):
    from hmi.app.logging_setup import configure_console_and_file

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        log_file = configure_console_and_file("INFO", tmp_path / "logs")
        for port in (40001, 40002, 40003):
            logging.getLogger("pymodbus.logging").warning("Failed to connect ('127.0.0.1', %d)", port)
        logging.getLogger("hmi.plc").warning("PLC not reachable at 127.0.0.1:502")
        for handler in root.handlers:
            handler.flush()
        console = capsys.readouterr().err
        written = log_file.read_text()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    assert "Failed to connect" not in console and "PLC not reachable" in console
    assert written.count("Failed to connect") == 1 and "PLC not reachable" in written
