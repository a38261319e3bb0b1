"""Log panel, status badge rules and the no-display start-up (no runtime needed)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from hmi.domain import ConnectionState
from hmi.ui.status_badges import Severity, odoo_badge, plc_badge

pytestmark = pytest.mark.ui

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def test_log_panel_takes_records_from_worker_threads_bounded_and_filtered(qtbot):
    from hmi.ui.log_panel import LogPanel

    panel = LogPanel(max_lines=50)
    qtbot.addWidget(panel)
    logger = logging.getLogger("hmi.test.logpanel")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(panel.handler)
    try:
        def work() -> None:
            for n in range(80):
                logger.info("worker line %d", n)
            logger.debug("a debug detail")
            logger.error("worker failure")

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: "worker failure" in panel.shown_text())
        lines = panel.shown_text().splitlines()
        assert len(lines) <= 50  # bounded
        assert "worker line 79" in lines[-2]
        assert "a debug detail" not in panel.shown_text()  # default filter: Info and above

        panel.set_min_level(logging.ERROR)
        assert panel.shown_text().splitlines() == [lines[-1]]
        panel.set_min_level(logging.DEBUG)
        assert "a debug detail" in panel.shown_text()

        panel.copy_to_clipboard()
        from PySide6.QtGui import QGuiApplication

        assert "worker failure" in QGuiApplication.clipboard().text()
    finally:
        logger.removeHandler(panel.handler)


@dataclass
class FakePlc:
    state: ConnectionState = ConnectionState.CONNECTED
    last_good_read: datetime | None = None
    last_error: str | None = None
    endpoint: str = "10.0.0.5:502"


def test_plc_badge_stale_after_two_polls_offline_after_five_disabled_without_plc():
    plc = FakePlc(last_good_read=NOW - timedelta(seconds=1.5))
    assert plc_badge(plc, 1.0, NOW, NOW).text == "PLC CONNECTED"
    plc.last_good_read = NOW - timedelta(seconds=2.5)
    stale = plc_badge(plc, 1.0, NOW, NOW)
    assert (stale.text, stale.severity) == ("PLC STALE", Severity.WARNING)
    plc.last_good_read = NOW - timedelta(seconds=5.5)
    plc.state = ConnectionState.FAULT
    plc.last_error = "connection refused"
    offline = plc_badge(plc, 1.0, NOW, NOW)
    assert (offline.text, offline.severity) == ("PLC OFFLINE", Severity.FAULT)
    assert "connection refused" in offline.tooltip
    # Never read since start: measured from when the window began watching.
    fresh = FakePlc(state=ConnectionState.CONNECTING)
    assert plc_badge(fresh, 1.0, NOW, NOW - timedelta(seconds=1)).text == "PLC CONNECTING"
    assert plc_badge(fresh, 1.0, NOW, NOW - timedelta(seconds=6)).text == "PLC OFFLINE"
    disabled = plc_badge(None, 1.0, NOW, NOW)
    assert disabled.text == "PLC DISABLED" and disabled.severity is Severity.NEUTRAL


@dataclass
class FakeOdooClient:
    last_contact: datetime | None = None
    last_error: str = ""


def test_odoo_badge_shows_last_contact_and_last_error():
    assert odoo_badge(FakeOdooClient(), NOW).text == "ODOO not contacted yet"
    ok = odoo_badge(FakeOdooClient(last_contact=NOW - timedelta(seconds=12)), NOW)
    assert ok.text == "ODOO OK 12 s ago" and ok.severity is Severity.NORMAL
    bad = odoo_badge(FakeOdooClient(last_contact=NOW, last_error="Odoo failed with HTTP 500"), NOW)
    assert bad.severity is Severity.FAULT
    assert "HTTP 500" in bad.text and "HTTP 500" in bad.tooltip


def test_no_display_prints_how_to_run_headless_and_exits_2(monkeypatch, capsys):
    from hmi.app.gui import display_available, run_gui

    assert not display_available({}, "linux")
    assert display_available({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert display_available({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert display_available({}, "win32")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert run_gui(settings=None, demo=None) == 2
    err = capsys.readouterr().err
    assert "No display found" in err and "--headless" in err and "QT_QPA_PLATFORM=offscreen" in err


def _answer_modal(seen: dict, pick) -> None:
    """Inside the modal loop: note what the box shows, then click the button ``pick`` chooses."""
    from PySide6.QtWidgets import QApplication

    box = QApplication.activeModalWidget()
    seen.update(text=box.text(), default=box.defaultButton(), box=box)
    pick(box).click()


def test_clear_choice_defaults_to_cancel_and_names_the_mos_it_holds(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from hmi.ui.dialogs import CLEAR_AND_HOLD, CLEAR_AND_RELEASE, CLEAR_HOLD_BUTTON, CLEAR_RELEASE_BUTTON, \
        ask_clear_choice

    mo_ids = [f"WH/MO/{n:05d}" for n in range(1, 15)]
    seen: dict = {}

    def button(text):
        return lambda box: next(b for b in box.buttons() if b.text() == text)

    QTimer.singleShot(0, lambda: _answer_modal(seen, lambda box: box.button(QMessageBox.StandardButton.Cancel)))
    assert ask_clear_choice(None, mo_ids) is None
    assert seen["default"] is seen["box"].button(QMessageBox.StandardButton.Cancel)
    assert "14 batches will be moved to the history" in seen["text"]
    assert "HELD" in seen["text"] and "WH/MO/00001" in seen["text"] and "and 2 more" in seen["text"]

    QTimer.singleShot(0, lambda: _answer_modal(seen, button(CLEAR_HOLD_BUTTON)))
    assert ask_clear_choice(None, mo_ids[:1]) == CLEAR_AND_HOLD
    assert "1 batch will be moved" in seen["text"]
    QTimer.singleShot(0, lambda: _answer_modal(seen, button(CLEAR_RELEASE_BUTTON)))
    assert ask_clear_choice(None, mo_ids[:1]) == CLEAR_AND_RELEASE


def test_close_question_defaults_to_no_and_says_what_stops(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from hmi.ui.dialogs import ask_close_confirmation

    seen = {}

    def fake_question(parent, title, text, buttons, default):
        seen.update(text=text, default=default)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", fake_question)
    assert ask_close_confirmation(None) is False
    assert seen["default"] == QMessageBox.StandardButton.No
    assert "nobody reads the PLC" in seen["text"] and "nothing is reported to Odoo" in seen["text"]
