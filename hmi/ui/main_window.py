"""The operator window: composes the toolbar and menus, the banner, the batch table and its tabs, the
status line and the sync log; keeps the language, the geometry and the closing.

Wiring (see hmi/app/gui.py): the composition root hands the window a port (hmi.ui.ports.WindowPort)
and the scheduler. The scheduler owns the sync and poll timers; the window listens to its signals and
asks the port for a fresh batch list in an awaited task. The work itself is in parts that are handed
state and callables and answer with signals, never calling back into the window:

- hmi.ui.window_status: the banner lines, the idle reason, the countdown (pure functions);
- hmi.ui.gate: who may press what and when (one table, a pure function);
- hmi.ui.batch_workflows: details and hand-add, a row's actions, Clear with approval, Held MOs;
- hmi.ui.sync_controls: Trigger sync, Pause/Resume auto-sync, the outcome sentence;
- hmi.ui.status_line: the status-bar message, the badges and the countdown;
- hmi.ui.window_tabs: History, Audit, Equipment failures, Reports and Trends;
- hmi.ui.window_dialogs: sign-in and the first engineer, Settings, Silos, About.

Nothing here blocks the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime
from typing import Callable, Coroutine

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hmi.services.messages import first_line
from hmi.services.access import Action
from hmi.services.tasks import TaskGroup
from hmi.clock import utc_now
from hmi.ui import dialogs
from hmi.ui.alarm_dock import AlarmPlaces, AlarmViews
from hmi.ui.batch_model import BatchTableModel
from hmi.ui.batch_table import IdlePanel, build_batch_view, fit_headers
from hmi.ui.batch_workflows import STATUS_MESSAGE_MS, BatchWorkflows
from hmi.ui.density import Density, density_style_sheet
from hmi.ui.gate import GateState, gate, held_action_text, needs_text, pause_action_text, role_name
from hmi.ui.i18n import LANGUAGES, current_language, install_language
from hmi.ui.log_panel import LogPanel
from hmi.ui.ports import SchedulerPort, WindowPort
from hmi.ui.session import OperatorSession
from hmi.ui.shapes import Shape, shape_pixmap
from hmi.ui.status_badges import repolish
from hmi.ui.status_line import StatusLine
from hmi.ui.sync_controls import SyncControls
from hmi.ui.window_dialogs import WindowDialogs
from hmi.ui.window_status import StatusSnapshot, banner_lines, banner_severity, countdown_text, idle_reason, idle_shown
from hmi.ui.window_tabs import WindowTabs

log = logging.getLogger("hmi.ui")

ORGANISATION = "Batch HMI"
APPLICATION = "Batch HMI"
#: The UI clock only repaints ages, badges and the countdown; the scheduler owns the work timers.
UI_CLOCK_MS = 1000


def default_window_settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


class MainWindow(QMainWindow):
    #: The operator closed the window; the composition root stops the scheduler and runtime.
    closing = Signal()
    #: A batch-table refresh finished (tests and screenshots wait for it).
    refreshed = Signal()

    def __init__(
        self,
        port: WindowPort,
        scheduler: SchedulerPort,
        *,
        window_settings: QSettings | None = None,
        session: OperatorSession | None = None,
        clock: Callable[[], datetime] = utc_now,
        demo: bool = False,
        density: Density | str | None = None,
        kiosk: bool = False,
    ) -> None:
        super().__init__()
        settings = port.settings()
        self.density = Density(density if density is not None else settings.ui_density)
        self.kiosk = kiosk
        self.port = port
        self.scheduler = scheduler
        self._window_settings = window_settings or default_window_settings()
        # The OS user's choice (View > Language) wins over UI_LANGUAGE; before any text is set.
        stored = self._window_settings.value("ui/language")
        install_language(QApplication.instance(), str(stored) if stored else settings.ui_language)
        self.session = session or OperatorSession(port.operators, settings.ui_auto_signout_minutes, self)
        self.session.changed.connect(self._on_session_changed)
        self._actor = lambda: self.session.name
        self._clock = clock
        self._tasks = TaskGroup("Window", log)
        self._refresh_task: asyncio.Task | None = None
        self._refresh_again = False
        self._db_error: str | None = None
        self._db_checked = False
        self._closed = False
        self.held_count = 0
        self.status = StatusSnapshot(now=clock())
        self.demo = demo
        self.setObjectName("mainWindow")
        self.setProperty("density", self.density.value)
        if self.density is Density.TOUCH:
            self.setStyleSheet(density_style_sheet(self.density))

        self._build_actions()
        self._build_central()
        self._build_log_dock()
        self.status_line = StatusLine(self.statusBar(), self)
        self.plc_badge, self.odoo_badge = self.status_line.plc_badge, self.status_line.odoo_badge
        self.database_badge, self.countdown_label = self.status_line.database_badge, self.status_line.countdown_label
        self._build_parts()
        self._build_menus_and_toolbar()
        self._set_tab_order()
        # Alarms dock, status-bar counts and journal tab (hmi.ui.alarm_dock); they drive the banner.
        self.alarm_views: AlarmViews | None = None
        if port.alarms is not None:
            places = AlarmPlaces(self, self.tabs, self.log_dock, self.view_menu, self.batch_view, self.batch_model,
                                 self._spawn, self._actor, port.reports.clock if port.reports is not None else None,
                                 port.tolerance)
            self.alarm_views = AlarmViews(places, port.alarms)
            self.alarm_views.changed.connect(self._update_banner)

            def refusal(action: str) -> str | None:
                key = Action.ACKNOWLEDGE if action == "acknowledge" else Action.SHELVE_ALARM
                return None if self.session.can(key) else self.needs_text(key)

            self.alarm_views.dock.refusal = refusal
        self.retranslate_ui()

        scheduler.poll_finished.connect(self.request_refresh)
        scheduler.completion_finished.connect(self.request_refresh)
        scheduler.auto_sync_changed.connect(self._update_status)

        self._ui_clock = QTimer(self)
        self._ui_clock.setInterval(UI_CLOCK_MS)
        self._ui_clock.timeout.connect(self._on_ui_clock)
        self._ui_clock.start()

        self._restore_geometry()
        self._update_status()

    # ------------------------------------------------------------------ language

    def retranslate_ui(self) -> None:
        """Every fixed text in the window's language; called at start and when the language changes."""
        self.trigger_sync_action.setText(self.tr("Trigger &sync"))
        self.clear_action.setText(self.tr("&Clear table…"))
        self.settings_action.setText(self.tr("S&ettings…"))
        self.silos_action.setText(self.tr("S&ilos…"))
        self.about_action.setText(self.tr("&About"))
        self.details_action.setText(self.tr("&Details…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.batch_view.setAccessibleName(self.tr("Batch table"))
        self.idle_panel.title.setText(self.tr("No batches in the table"))
        self.idle_sync_button.setText(self.tr("Trigger sync now"))
        self.tabs.retranslate_titles()
        self.setWindowTitle(self.tr("Batch HMI — demo (simulated PLC and Odoo)") if self.demo else "Batch HMI")
        self.log_dock.setWindowTitle(self.tr("Sync &log"))
        # Every part of the window with fixed text of its own (tabs, docks, panels, open dialogs)
        # offers retranslate(); one walk keeps them all in the same language as the window.
        for child in self.findChildren(QWidget):
            retranslate = getattr(child, "retranslate", None)
            if callable(retranslate):
                retranslate()
        self.toolbar.setWindowTitle(self.tr("Actions"))
        self.file_menu.setTitle(self.tr("&File"))
        self.actions_menu.setTitle(self.tr("&Actions"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self._on_session_changed(self.session.operator)
        self.batch_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.batch_model.columnCount() - 1)
        fit_headers(self.batch_view, self.batch_model)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "language_menu"):
            self.retranslate_ui()
            self._update_status()
        super().changeEvent(event)

    def menu_title(self, which: str) -> str:
        return {"file": self.file_menu, "actions": self.actions_menu, "view": self.view_menu,
                "help": self.help_menu}[which].title()

    def set_language(self, code: str) -> None:
        """View → Language: switch now (no restart) and remember it for this OS user."""
        install_language(QApplication.instance(), code)
        self.retranslate_ui()  # now, not when Qt's LanguageChange event arrives
        self._update_status()
        self._window_settings.setValue("ui/language", code)
        for action in self.language_menu.actions():
            action.setChecked(action.data() == code)
        log.info("Window language set to %s by %s", code, self._actor(), extra={"actor": self._actor()})

    # ------------------------------------------------------------------ building

    def _build_actions(self) -> None:
        def action(shortcut: QKeySequence | None = None) -> QAction:
            made = QAction(self)
            if shortcut is not None:
                made.setShortcut(shortcut)
            return made

        self.trigger_sync_action = action(QKeySequence(Qt.Key.Key_F5))
        self.clear_action = action(QKeySequence("Ctrl+Shift+Del"))
        self.pause_action = action(QKeySequence(Qt.Key.Key_F6))
        self.settings_action = action(QKeySequence("Ctrl+,"))
        self.held_action = action()
        self.silos_action = action()
        self.about_action = action(QKeySequence(Qt.Key.Key_F1))
        # No shortcut of its own: Enter (or a double-click) on a row is the view's 'activated'.
        self.details_action = action()
        self.sign_action = action()
        self.sign_action.setObjectName("signAction")
        self.quit_action = action(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.request_quit)
        for each in (self.trigger_sync_action, self.clear_action, self.pause_action, self.held_action,
                     self.settings_action, self.silos_action, self.about_action, self.quit_action):
            each.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _build_central(self) -> None:
        self.alert_banner = QFrame(self)
        self.alert_banner.setObjectName("alertBanner")
        banner_layout = QHBoxLayout(self.alert_banner)
        banner_layout.setContentsMargins(8, 4, 8, 4)
        banner_icon = QLabel(self.alert_banner)
        banner_icon.setPixmap(shape_pixmap(Shape.WARNING, 20))
        self.alert_text = QLabel(self.alert_banner)
        self.alert_text.setObjectName("alertText")
        self.alert_text.setWordWrap(True)
        self.alert_text.setTextFormat(Qt.TextFormat.PlainText)
        banner_layout.addWidget(banner_icon)
        banner_layout.addWidget(self.alert_text, 1)
        self.alert_banner.hide()

        self.batch_model = BatchTableModel(self, clock=self._clock)
        self.batch_view = build_batch_view(self, self.batch_model, self.density)
        self.batch_view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.idle_panel = IdlePanel(self)
        self.idle_text, self.idle_sync_button = self.idle_panel.text, self.idle_panel.sync_button
        self.batches_page = QStackedWidget(self)
        self.batches_page.addWidget(self.batch_view)
        self.batches_page.addWidget(self.idle_panel)

        self.tabs = WindowTabs(self, self.port, self.batches_page, spawn=self._spawn, actor=self._actor,
                               density=self.density)
        self.tabs.failures_acknowledged.connect(self.request_refresh)
        self.history_tab, self.audit_tab, self.failures_tab = (self.tabs.history_tab, self.tabs.audit_tab,
                                                               self.tabs.failures_tab)
        self.reports_tab, self.trends_tab = self.tabs.reports_tab, self.tabs.trends_tab

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.alert_banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_log_dock(self) -> None:
        self.log_panel = LogPanel(self)
        self.log_panel.attach()
        self.log_dock = QDockWidget(self)
        self.log_dock.setObjectName("syncLogDock")
        self.log_dock.setWidget(self.log_panel)
        self.log_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                  | QDockWidget.DockWidgetFeature.DockWidgetClosable
                                  | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.resizeDocks([self.log_dock], [190], Qt.Orientation.Vertical)

    def _build_parts(self) -> None:
        """The parts that do the work, handed what they need; the actions trigger them."""
        status = self.status_line
        self.workflows = BatchWorkflows(
            self, self.port, self.session, self.batch_model, self.batch_view, self.details_action,
            spawn=self._spawn, spawn_work=self.scheduler.spawn, sync_running=lambda: self.sync.sync_running,
            show_status=status.show, show_message=status.show_message)
        self.workflows.refresh_requested.connect(self.request_refresh)
        self.workflows.history_changed.connect(self.tabs.history_changed)
        self.workflows.clear_changed.connect(self._update_actions)
        self.sync = SyncControls(
            self, self.scheduler, running_elsewhere=self.port.sync_running,
            blocked=lambda: self.workflows.clear_running, allowed=self.workflows.allowed, actor=self._actor,
            clock=self._clock, show_status=status.show,
            show_message=self._sync_message)
        self.sync.changed.connect(self._update_actions)
        self.sync.finished.connect(self.request_refresh)
        self.sync.finished.connect(self._update_status)
        self.window_dialogs = WindowDialogs(self, self.port, self.session, spawn=self._spawn,
                                     allowed=self.workflows.allowed)
        for action, slot in ((self.trigger_sync_action, self.sync.trigger_sync),
                             (self.clear_action, self.workflows.clear_table),
                             (self.pause_action, self.sync.toggle_auto_sync),
                             (self.settings_action, self.window_dialogs.show_settings),
                             (self.held_action, self.workflows.show_held),
                             (self.silos_action, self.window_dialogs.show_silos),
                             (self.about_action, self.window_dialogs.show_about),
                             (self.details_action, self.workflows.show_selected_detail),
                             (self.sign_action, self.window_dialogs.sign_in_or_out)):
            action.triggered.connect(slot)
        self.idle_sync_button.clicked.connect(self.sync.trigger_sync)

    def _build_menus_and_toolbar(self) -> None:
        toolbar = self.toolbar = QToolBar(self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.trigger_sync_action, self.clear_action, self.pause_action, self.held_action, None,
                       self.details_action, None, self.settings_action, self.silos_action, self.about_action):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        if self.kiosk:
            toolbar.addSeparator()
            toolbar.addAction(self.quit_action)  # no window frame in kiosk mode: Quit must be on screen
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.operator_label = QLabel(toolbar)
        self.operator_label.setObjectName("operatorLabel")
        self.operator_label.setTextFormat(Qt.TextFormat.PlainText)
        toolbar.addWidget(self.operator_label)
        toolbar.addAction(self.sign_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

        menus = self.menuBar()
        file_menu = self.file_menu = menus.addMenu("")
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        batch_menu = self.actions_menu = menus.addMenu("")
        for action in (self.trigger_sync_action, self.pause_action, self.silos_action, self.details_action, None,
                       self.clear_action, self.held_action):
            batch_menu.addSeparator() if action is None else batch_menu.addAction(action)
        view_menu = self.view_menu = menus.addMenu("")
        view_menu.addAction(self.log_dock.toggleViewAction())
        self.language_menu = view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        for code, name in LANGUAGES.items():
            action = self.language_menu.addAction(name)  # each language in its own words
            action.setData(code)
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
        help_menu = self.help_menu = menus.addMenu("")
        help_menu.addAction(self.about_action)

    def _set_tab_order(self) -> None:
        chain = [self.tabs, self.batch_view, self.log_panel.level_combo, self.log_panel.copy_button,
                 self.log_panel.view]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.batch_view.setFocus()

    def _spawn(self, coroutine: Coroutine) -> asyncio.Task:
        """Start a UI task and keep a strong reference (qasync 0.28 keeps only weak ones)."""
        return self._tasks.spawn(coroutine)

    # ------------------------------------------------------------------ batch table

    def request_refresh(self) -> None:
        """Fetch the batch list again; coalesces requests that arrive while one is running."""
        if self._closed:
            return
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_again = True
            return
        self._refresh_task = self._spawn(self._refresh())

    def _sync_message(self, text: str, success: bool) -> None:
        """A sync's outcome in the status bar, judged against the PLC and Odoo state of now (not of the
        last status update): a success is not shown beside a fault, nor hidden for one that is over."""
        self._update_status()
        self.status_line.show_message(text, success, bool(self.banner_lines()))

    async def _refresh(self) -> None:
        while True:
            self._refresh_again = False
            try:
                batches = await self.port.batches()
            except Exception as exc:  # noqa: BLE001 - the badge shows it; the window keeps running
                if self._db_error != str(exc):
                    reason = first_line(exc)
                    log.error("The batch table cannot be read; the window shows the last rows read: %s", reason)
                self._db_error = str(exc)
                held = None
            else:
                self._db_error = None
                if not self._closed:
                    self.batch_model.apply(batches)
                try:
                    held = len(await self.port.actions.held())
                except Exception:  # noqa: BLE001 - the database badge already says why
                    held = None
            if held is not None:
                self.held_count = held
                if not self._closed:
                    await self.tabs.refresh_failures()
            self._db_checked = True
            if not self._refresh_again or self._closed:
                break
        if not self._closed:
            self._update_status()
            self.refreshed.emit()

    # ------------------------------------------------------------------ status

    def _on_ui_clock(self) -> None:
        self.batch_model.refresh_ages()
        self._update_status()

    def _update_status(self, *_args) -> None:
        """Read the health, then show it: badges, countdown, banner, idle panel and the actions' gates."""
        # Badges may have grown ("Odoo FAULT"): the message left of them is fitted again (after layout).
        self.status_line.schedule_refit()
        now = self._clock()
        health = self.port.health(now)  # the service layer's one judgement of the links
        self.status = StatusSnapshot(
            now=now, plc=health.plc, odoo=health.odoo, db_error=self._db_error, db_checked=self._db_checked,
            sync_alert=health.alert, batches=tuple(self.batch_model.batches), sync_running=self.sync.sync_running,
            auto_sync_enabled=self.scheduler.auto_sync_enabled, next_sync_in=self.scheduler.next_sync_in_seconds(),
            last_sync=health.last_sync)
        self.batch_model.set_plc_quality(health.plc.quality)
        self.status_line.show_badges(health.plc, health.odoo, self._db_error, self._db_checked, now)
        self.status_line.show_countdown(countdown_text(self.status))
        self._update_banner()
        empty = idle_shown(self.status)
        if empty:
            text = idle_reason(self.status)
            if text != self.idle_text.text():
                self.idle_text.setText(text)
        self.batches_page.setCurrentWidget(self.idle_panel if empty else self.batch_view)
        self._update_actions()

    def banner_lines(self) -> list[str]:
        """What is wrong, most urgent first (hmi.ui.window_status.banner_lines over the last snapshot)."""
        alarms = tuple(self.alarm_views.banner_lines()) if self.alarm_views is not None else None
        failures, newest = self.tabs.failure_alert
        return banner_lines(replace(self.status, alarm_lines=alarms, failures=failures, newest_failure=newest))

    def _update_banner(self) -> None:
        lines = self.banner_lines()
        text = "\n".join(lines)
        if text != self.alert_text.text():
            self.alert_text.setText(text)
        # Red for a fault (PLC offline, database, sync alert); amber when values are only stale or a
        # batch waits for an operator. The shape and the first word say the same without colour.
        severity = banner_severity(lines)
        if self.alert_banner.property("severity") != severity:
            self.alert_banner.setProperty("severity", severity)
            repolish(self.alert_banner)
        self.alert_banner.setVisible(bool(lines))
        self.status_line.banner_shown(bool(lines))

    def _update_actions(self) -> None:
        """Every action's enabled state and tooltip from the gate table (hmi.ui.gate)."""
        held_text = held_action_text(self.held_count)
        if self.held_action.text() != held_text:
            self.held_action.setText(held_text)
        pause_text = pause_action_text(self.scheduler.auto_sync_enabled)
        if self.pause_action.text() != pause_text:
            self.pause_action.setText(pause_text)
        state = GateState(role=self.session.role, name=self.session.name, sync_running=self.sync.sync_running,
                          clear_running=self.workflows.clear_running,
                          selected=self.workflows.selected_row() is not None, rows=self.batch_model.rowCount(),
                          auto_sync_enabled=self.scheduler.auto_sync_enabled)
        actions = {"held": self.held_action, "settings": self.settings_action, "silos": self.silos_action,
                   "pause": self.pause_action, "sync": self.trigger_sync_action, "details": self.details_action,
                   "clear": self.clear_action}
        for key, (enabled, tip) in gate(state).items():
            action = actions[key]
            if action.isEnabled() != enabled:
                action.setEnabled(enabled)
            if action.toolTip() != tip:
                action.setToolTip(tip)
                action.setStatusTip(tip)
        self.idle_sync_button.setEnabled(self.trigger_sync_action.isEnabled())
        self.idle_sync_button.setToolTip(self.trigger_sync_action.toolTip())

    def needs_text(self, action: str) -> str:
        """Why an action is disabled for who is signed in (or nobody)."""
        return needs_text(action, self.session.role, self.session.name)

    # ------------------------------------------------------------------ sign-in

    def _on_session_changed(self, operator) -> None:
        if operator is None:
            self.operator_label.setText(self.tr("Not signed in — view only"))
            self.sign_action.setText(self.tr("Sign in"))
            self.sign_action.setToolTip(self.tr("Sign in with your name and PIN to operate"))
            for dialog in self.workflows.dialogs() + self.window_dialogs.dialogs():
                try:
                    if dialog is not None and dialog.isVisible():
                        dialog.close()
                except RuntimeError:  # already deleted
                    pass
        else:
            self.operator_label.setText(f"{operator.name} · {role_name(operator.role)}")
            self.sign_action.setText(self.tr("Sign out"))
            self.sign_action.setToolTip(self.tr("Sign out {name}; the window stays on, view only").format(
                name=operator.name))
        self._update_actions()
        if self.alarm_views is not None:
            self.alarm_views.signed_in_changed()

    def start_first_start_check(self) -> None:
        self._spawn(self.window_dialogs.check_first_start())

    # ------------------------------------------------------------------ geometry and closing

    def _restore_geometry(self) -> None:
        geometry = self._window_settings.value("window/geometry")
        state = self._window_settings.value("window/state")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)  # fits a 1366x768 panel with the task bar
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_geometry(self) -> None:
        self._window_settings.setValue("window/geometry", self.saveGeometry())
        self._window_settings.setValue("window/state", self.saveState())
        self._window_settings.sync()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.status_line.schedule_refit()

    def request_quit(self) -> None:
        """Quit (menu, Ctrl+Q): asks first, as closing the window does."""
        if self._closed or self._confirm_close():
            self.close()

    def _confirm_close(self) -> bool:
        if dialogs.ask_close_confirmation(self):
            log.warning("Batch HMI closed by %s: PLC polling and reporting to Odoo stop", self._actor(),
                        extra={"actor": self._actor()})
            return True
        log.info("Closing Batch HMI declined by %s", self._actor(), extra={"actor": self._actor()})
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Closed by the operator (window frame, Alt+F4): ask first. A close the program makes (a
        # signal, Quit after its own question, a test) is not spontaneous and is not asked again.
        if not self._closed and event.spontaneous() and not self._confirm_close():
            event.ignore()
            return
        if not self._closed:
            self._closed = True
            self.session.detach()
            self.save_geometry()
            self._ui_clock.stop()
            self.log_panel.detach()
            self.sync.detach()
            if self.alarm_views is not None:
                self.alarm_views.close_down()
            for signal, slot in ((self.scheduler.poll_finished, self.request_refresh),
                                 (self.scheduler.completion_finished, self.request_refresh),
                                 (self.scheduler.auto_sync_changed, self._update_status)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            self.closing.emit()
        event.accept()

    async def wait_for_tasks(self, timeout: float = 5.0) -> None:
        """Let UI reads in flight end before the runtime closes the database."""
        await self._tasks.drain(timeout)


__all__ = ["APPLICATION", "MainWindow", "ORGANISATION", "STATUS_MESSAGE_MS", "default_window_settings"]
