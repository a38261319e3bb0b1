"""Log panel, status badge rules and the no-display start-up (no runtime needed)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from hmi.domain import ConnectionState
from hmi.services.health import LinkQuality, judge_odoo, judge_plc
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
    """What the health rule reads: the link's last good read and its connection's state."""

    state: ConnectionState = ConnectionState.CONNECTED
    last_good_read: datetime | None = None
    last_error: str | None = None
    endpoint: str = "10.0.0.5:502"


def _plc(plc, since=NOW):
    if plc is None:
        return plc_badge(judge_plc(None, None, 1.0, NOW, since), NOW)
    return plc_badge(judge_plc(plc, plc.last_good_read, 1.0, NOW, since), NOW)


def test_plc_badge_stale_after_two_polls_offline_after_five_disabled_without_plc():
    plc = FakePlc(last_good_read=NOW - timedelta(seconds=1.5))
    assert _plc(plc).text == "PLC CONNECTED"
    plc.last_good_read = NOW - timedelta(seconds=2.5)
    stale = _plc(plc)
    assert (stale.text, stale.severity) == ("PLC STALE", Severity.WARNING)
    plc.last_good_read = NOW - timedelta(seconds=5.5)
    plc.state = ConnectionState.FAULT
    plc.last_error = "connection refused"
    offline = _plc(plc)
    assert (offline.text, offline.severity) == ("PLC OFFLINE", Severity.FAULT)
    assert "connection refused" in offline.tooltip
    # Never read since start: measured from when the service layer began watching.
    fresh = FakePlc(state=ConnectionState.CONNECTING)
    assert _plc(fresh, NOW - timedelta(seconds=1)).text == "PLC CONNECTING"
    assert _plc(fresh, NOW - timedelta(seconds=6)).text == "PLC OFFLINE"
    disabled = _plc(None)
    assert disabled.text == "PLC DISABLED" and disabled.severity is Severity.NEUTRAL


def test_a_dropped_link_makes_the_values_not_current_at_once():
    dropped = judge_plc(FakePlc(state=ConnectionState.DISCONNECTED), NOW - timedelta(seconds=0.5), 1.0, NOW, NOW)
    assert dropped.quality is LinkQuality.STALE and not dropped.values_current and not dropped.healthy


@dataclass
class FakeOdooClient:
    last_contact: datetime | None = None
    last_error: str = ""


def test_odoo_badge_is_short_and_the_tooltip_has_the_whole_error():
    assert odoo_badge(judge_odoo(FakeOdooClient()), NOW).text == "Odoo not asked yet"
    ok = odoo_badge(judge_odoo(FakeOdooClient(last_contact=NOW - timedelta(seconds=12))), NOW)
    assert ok.text == "Odoo OK" and ok.severity is Severity.NORMAL and "12 s ago" in ok.tooltip
    error = "Odoo failed with HTTP 500 on /api/scada/mo-list-detailed. This is a server-side problem."
    bad = odoo_badge(judge_odoo(FakeOdooClient(last_contact=NOW, last_error=error)), NOW)
    assert bad.severity is Severity.FAULT
    assert bad.text == "Odoo FAULT" and error in bad.tooltip


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


def test_close_question_defaults_to_no_and_says_what_stops(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from hmi.ui.dialogs import ask_close_confirmation

    seen: dict = {}
    QTimer.singleShot(0, lambda: _answer_modal(seen, lambda box: box.button(QMessageBox.StandardButton.No)))
    assert ask_close_confirmation(None) is False
    assert seen["default"] is seen["box"].button(QMessageBox.StandardButton.No)
    assert "nobody reads the PLC" in seen["text"] and "nothing is reported to Odoo" in seen["text"]
    QTimer.singleShot(0, lambda: _answer_modal(seen, lambda box: box.button(QMessageBox.StandardButton.Yes)))
    assert ask_close_confirmation(None) is True


def test_library_error_text_reads_as_words_in_the_badges():
    from hmi.ui.formatting import plain_error

    raw = "cannot connect to 127.0.0.1:35967: Failed to connect [Errno 111] Connect call failed ('127.0.0.1', 35967)"
    assert plain_error(raw) == "cannot connect to 127.0.0.1:35967: connection refused"
    plc = FakePlc(state=ConnectionState.DISCONNECTED, last_good_read=NOW - timedelta(seconds=9), last_error=raw)
    tooltip = _plc(plc).tooltip
    assert "Errno" not in tooltip and "connection refused" in tooltip


def test_database_errors_lose_the_driver_prefix_sql_and_links():
    from hmi.ui.formatting import plain_error
    from hmi.ui.status_badges import database_badge

    raw = ('(psycopg2.OperationalError) connection to server at "127.0.0.1", port 1 failed: Connection refused\n'
           "[SQL: SELECT mo_batch.status_manufacturing FROM mo_batch]\n"
           "(Background on this error at: https://sqlalche.me/e/20/e3q8)")
    text = plain_error(raw)
    assert text == 'connection to server at "127.0.0.1", port 1 failed: Connection refused'
    tooltip = database_badge(raw, True).tooltip
    assert "mo_batch" not in tooltip and "psycopg2" not in tooltip and "sqlalche.me" not in tooltip


@pytest.mark.parametrize("allowed, shown", [(4.322, "4.32"), (6.7782, "6.78"), (62.5, "62.5"), (250.0, "250"),
                                            (1250.0, "1250"), (8.24, "8.24"), (5.0, "5"), (0.0499, "0.0499")])
def test_a_tolerance_band_reads_as_a_scale_shows_it(allowed, shown):
    from hmi.ui.formatting import format_allowed_kg

    assert format_allowed_kg(allowed) == shown


@pytest.mark.parametrize("language, value, scale, allowed, shown", [
    ("en", 0.025, None, None, "0.025"),  # a 25 g medicine target (it read "0.0")
    ("en", 12.345, None, None, "12.345"),
    ("en", 12345.0, None, None, "12,345.0"),  # thousands always with their decimal: never like 12.345
    ("en", 99.9, 150.0, None, "99.9"),  # the decimals of the quantity it belongs to (a 150 kg target)
    ("en", 150.04, None, 0.5, "150.040"),  # a band under 1 kg: 0.1 kg would hide what it judges
    ("en", -0.0001, None, None, "0.000"),
    ("id", 1234.5, None, None, "1.234,5"),
    ("id", 0.025, None, None, "0,025"),
])
def test_kg_on_screen_have_fixed_decimals_in_the_language_s_number_format(monkeypatch, language, value, scale,
                                                                          allowed, shown):
    from hmi.ui import i18n
    from hmi.ui.formatting import format_kg

    monkeypatch.setattr(i18n, "_current", language)
    assert format_kg(value, scale, allowed) == shown


def test_percent_and_a_tolerance_band_in_indonesian(monkeypatch):
    from hmi.ui import i18n
    from hmi.ui.formatting import format_allowed_kg, format_percent

    monkeypatch.setattr(i18n, "_current", "id")
    assert format_percent(1.234) == "+1,23 %" and format_percent(-0.04) == "-0,04 %"
    assert format_allowed_kg(4.322) == "4,32"
