"""The operator window: toolbar, batch table, history, status badges, sync log.

Wiring (see hmi/app/gui.py): the scheduler owns the sync and poll timers; the window
listens to its signals (poll_finished, sync_finished, auto_sync_changed) and asks the
service layer (runtime.admin) for a fresh batch list in an awaited task. Buttons call the
same services as the timers and the admin API. Nothing here blocks the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Callable, Coroutine

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QEvent, QModelIndex, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hmi.domain import Batch, BatchState
from hmi.services.admin import ActionRefused, TableChanged
from hmi.services.access import Action, Role, required_role
from hmi.services.flight import Busy
from hmi.services.hand_add import HandAddRefused
from hmi.services.health import LinkQuality, OdooHealth, PlcHealth
from hmi.services.sync import SyncOutcome
from hmi.services.tasks import TaskGroup
from hmi.services.messages import first_line
from hmi.clock import utc_now
from hmi.ui import dialogs
from hmi.ui.alarm_dock import AlarmViews
from hmi.ui.audit_tab import AuditTab
from hmi.ui.batch_model import BatchTableModel, Column
from hmi.ui.density import Density, density_style_sheet
from hmi.ui.failures_tab import FailuresTab
from hmi.ui.formatting import format_age, format_countdown, plain_error
from hmi.ui.held_dialog import HeldListDialog
from hmi.ui.history_tab import HistoryTab
from hmi.ui.i18n import localized
from hmi.ui.log_panel import LogPanel
from hmi.ui.session import OperatorSession
from hmi.ui.signin_dialog import FirstEngineerDialog, SignInDialog
from hmi.ui.shapes import Shape, shape_pixmap
from hmi.ui.silo_delegate import CELL_WIDTH, TOUCH_BAR_HEIGHT, TOUCH_CELL_WIDTH, SiloProgressDelegate
from hmi.ui.status_badges import StatusBadge, database_badge, link_word, odoo_badge, plc_badge, repolish
from hmi.ui.touch import LongPressFilter

log = logging.getLogger("hmi.ui")

ORGANISATION = "Batch HMI"
APPLICATION = "Batch HMI"
#: The UI clock only repaints ages, badges and the countdown; the scheduler owns the work timers.
UI_CLOCK_MS = 1000
STATUS_MESSAGE_MS = 30_000

TIP_SYNC = QT_TRANSLATE_NOOP("MainWindow", "Check the batch table now; fetch MOs from Odoo if it is empty (F5)")
TIP_SYNC_RUNNING = QT_TRANSLATE_NOOP("MainWindow", "A sync is running")
TIP_CLEARING = QT_TRANSLATE_NOOP("MainWindow", "The table is being cleared")
TIP_CLEAR = QT_TRANSLATE_NOOP("MainWindow", "Move every batch to the history as CLEARED and empty the table; "
                                           "the MOs are held until released (asks first)")
TIP_NOTHING_TO_CLEAR = QT_TRANSLATE_NOOP("MainWindow", "Nothing to clear")
TIP_CLEAR_WAITS_FOR_SYNC = QT_TRANSLATE_NOOP("MainWindow", "A sync is running; clear when it has finished")
TIP_DETAILS = QT_TRANSLATE_NOOP("MainWindow", "Every silo of the selected batch: component, target, actual, "
                                             "progress or deviation")
TIP_DETAILS_NONE = QT_TRANSLATE_NOOP("MainWindow", "Select a batch first (tap a row)")
#: A press held this long on a row opens its menu (touch screens have no right button).
LONG_PRESS_MS = 600
#: Banner lines that start with these words make the banner red; the rest (stale, attention) amber.
#: The banner's words for a fault (red); the alarm priorities CRITICAL and HIGH count as faults too.
FAULT_WORDS = (QT_TRANSLATE_NOOP("MainWindow", "PLC OFFLINE"), QT_TRANSLATE_NOOP("MainWindow", "DATABASE FAULT"),
               QT_TRANSLATE_NOOP("MainWindow", "SYNC ALERT"), QT_TRANSLATE_NOOP("MainWindow", "CRITICAL"),
               QT_TRANSLATE_NOOP("MainWindow", "HIGH"))


def first_sentence(text: str) -> str:
    """The status bar has one line: what happened. The advice that follows is in the log and the banner."""
    head, dot, _rest = text.partition(". ")
    return head + ("" if head.endswith(".") else ".") if dot else text


def default_window_settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


class MainWindow(QMainWindow):
    #: The operator closed the window; the composition root stops the scheduler and runtime.
    closing = Signal()
    #: A batch-table refresh finished (tests and screenshots wait for it).
    refreshed = Signal()

    def __init__(
        self,
        runtime,
        scheduler,
        *,
        window_settings: QSettings | None = None,
        session: OperatorSession | None = None,
        clock: Callable[[], datetime] = utc_now,
        demo: bool = False,
        density: Density | str | None = None,
        kiosk: bool = False,
    ) -> None:
        super().__init__()
        if density is None:
            density = getattr(runtime.settings, "ui_density", Density.TOUCH.value)
        self.density = Density(density)
        self.kiosk = kiosk
        self.runtime = runtime
        self.scheduler = scheduler
        self._window_settings = window_settings or default_window_settings()
        # The OS user's choice (View > Language) wins over UI_LANGUAGE; before any text is set.
        from PySide6.QtWidgets import QApplication

        from hmi.ui.i18n import install_language

        stored = self._window_settings.value("ui/language")
        install_language(QApplication.instance(), str(stored) if stored else
                         getattr(runtime.settings, "ui_language", "en"))
        minutes = getattr(runtime.settings, "ui_auto_signout_minutes", 15.0)
        self.session = session or OperatorSession(getattr(runtime, "operators", None), minutes, self)
        self.session.changed.connect(self._on_session_changed)
        self._actor = lambda: self.session.name
        self._clock = clock
        self._pause_tip = ""
        self._watching_since = clock()
        self._tasks = TaskGroup("Window", log)
        self._refresh_task: asyncio.Task | None = None
        self._refresh_again = False
        self._manual_sync_running = False
        self._clear_running = False
        self._db_error: str | None = None
        self._db_checked = False
        self._closed = False
        self.held_count = 0
        self._status_is_success = False
        self.plc_status: PlcHealth | None = None
        self.odoo_status: OdooHealth | None = None
        #: (unacknowledged equipment failures, the newest of them) for the banner.
        self._failure_alert: tuple[int, object | None] = (0, None)

        self.demo = demo
        self.setObjectName("mainWindow")
        self.setProperty("density", self.density.value)
        if self.density is Density.TOUCH:
            self.setStyleSheet(density_style_sheet(self.density))

        self._build_actions()
        self._build_central()
        self._build_log_dock()
        self._build_status_bar()
        self._build_menus_and_toolbar()
        self._set_tab_order()
        # Alarms dock, status-bar counts and journal tab (hmi.ui.alarm_dock); they drive the banner.
        self.alarm_views = AlarmViews(self, runtime.alarms) if getattr(runtime, "alarms", None) else None
        if self.alarm_views is not None:
            self.alarm_views.dock.refusal = lambda action: None if self.session.can(
                Action.ACKNOWLEDGE if action == "acknowledge" else Action.SHELVE_ALARM) else self.needs_text(
                Action.ACKNOWLEDGE if action == "acknowledge" else Action.SHELVE_ALARM)
        self.retranslate_ui()

        scheduler.poll_finished.connect(self.request_refresh)
        scheduler.completion_finished.connect(self.request_refresh)
        scheduler.sync_finished.connect(self._on_sync_finished)
        scheduler.auto_sync_changed.connect(self._on_auto_sync_changed)

        self._ui_clock = QTimer(self)
        self._ui_clock.setInterval(UI_CLOCK_MS)
        self._ui_clock.timeout.connect(self._on_ui_clock)
        self._ui_clock.start()

        self._restore_geometry()
        self._on_auto_sync_changed(scheduler.auto_sync_enabled)
        self._update_status()

    # ------------------------------------------------------------------ language

    def count(self, n: int, one: str, many: str) -> str:
        """'1 MO', '3 MOs' in the window's language (the words come translated)."""
        return f"{n} {one if n == 1 else many}"

    def describe_outcome(self, outcome: SyncOutcome, english: bool = False) -> str:
        """One operator sentence for a sync result (``english``: for the log, which stays English)."""
        tr = (lambda text: text) if english else self.tr
        if outcome.outcome == "skipped":
            batches = self.count(outcome.count, tr(QT_TRANSLATE_NOOP("MainWindow", "batch")),
                                 tr(QT_TRANSLATE_NOOP("MainWindow", "batches")))
            return tr(QT_TRANSLATE_NOOP("MainWindow", "Sync skipped: {batches} still in the table; new MOs are "
                                                      "fetched once the table is empty")).format(batches=batches)
        if outcome.outcome == "synced":
            if outcome.count:
                mos = self.count(outcome.count, tr(QT_TRANSLATE_NOOP("MainWindow", "MO")),
                                 tr(QT_TRANSLATE_NOOP("MainWindow", "MOs")))
                return tr(QT_TRANSLATE_NOOP("MainWindow", "Sync fetched {mos} from Odoo and wrote them to the "
                                                          "PLC")).format(mos=mos)
            return tr(QT_TRANSLATE_NOOP("MainWindow", "Sync done: {message}")).format(message=outcome.message)
        if outcome.outcome == "failed":
            return tr(QT_TRANSLATE_NOOP("MainWindow", "Sync failed: {reason}")).format(
                reason=first_sentence(outcome.message))
        return tr(QT_TRANSLATE_NOOP("MainWindow", "Sync not started: {reason}")).format(
            reason=first_sentence(outcome.message))

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
        self.idle_title.setText(self.tr("No batches in the table"))
        self.idle_sync_button.setText(self.tr("Trigger sync now"))
        self.tabs.setTabText(self.tabs.indexOf(self.batches_page), self.tr("&Batches"))
        self.tabs.setTabText(self.tabs.indexOf(self.history_tab), self.tr("&History"))
        self.tabs.setTabText(self.tabs.indexOf(self.audit_tab), self.tr("A&udit"))
        for tab, title in ((self.reports_tab, self.tr("Rep&orts")), (self.trends_tab, self.tr("&Trends"))):
            if tab is not None:
                self.tabs.setTabText(self.tabs.indexOf(tab), title)
        if self.reports_tab is not None:
            self.history_tab.view.setToolTip(self.tr("Double-click a row for the batch ticket and its dosing curve"))
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
        self._on_auto_sync_changed(self.scheduler.auto_sync_enabled)
        self._on_session_changed(self.session.operator)
        self.batch_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.batch_model.columnCount() - 1)
        self._fit_headers()

    def _fit_headers(self) -> None:
        """No header cut off: a column is at least as wide as its title in the window's language."""
        header = self.batch_view.horizontalHeader()
        metrics = header.fontMetrics()
        for column in Column:
            if column in (Column.PRODUCT, Column.SILOS):
                continue
            title = str(self.batch_model.headerData(column, Qt.Orientation.Horizontal) or "")
            needed = metrics.horizontalAdvance(title) + 28
            if header.sectionSize(column) < needed:
                header.resizeSection(column, needed)

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
        from PySide6.QtWidgets import QApplication

        from hmi.ui.i18n import install_language

        install_language(QApplication.instance(), code)
        self.retranslate_ui()  # now, not when Qt's LanguageChange event arrives
        self._update_status()
        self._window_settings.setValue("ui/language", code)
        for action in self.language_menu.actions():
            action.setChecked(action.data() == code)
        log.info("Window language set to %s by %s", code, self._actor(), extra={"actor": self._actor()})

    # ------------------------------------------------------------------ building

    def _build_actions(self) -> None:
        self.trigger_sync_action = QAction(self)
        self.trigger_sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.trigger_sync_action.triggered.connect(self.trigger_sync)

        self.clear_action = QAction(self)
        self.clear_action.setShortcut(QKeySequence("Ctrl+Shift+Del"))
        self.clear_action.triggered.connect(self.clear_table)

        self.pause_action = QAction(self)
        self.pause_action.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.pause_action.triggered.connect(self.toggle_auto_sync)

        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.show_settings)

        self.held_action = QAction(self)
        self.held_action.triggered.connect(self.show_held)

        self.silos_action = QAction(self)
        self.silos_action.triggered.connect(self.show_silos)

        self.about_action = QAction(self)
        self.about_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.about_action.triggered.connect(self.show_about)

        # No shortcut of its own: Enter (or a double-click) on a row is the view's 'activated'.
        self.details_action = QAction(self)
        self.details_action.triggered.connect(self.show_selected_detail)

        self.sign_action = QAction(self)
        self.sign_action.setObjectName("signAction")
        self.sign_action.triggered.connect(self.sign_in_or_out)

        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.request_quit)

        for action in (self.trigger_sync_action, self.clear_action, self.pause_action, self.held_action,
                       self.settings_action, self.silos_action, self.about_action, self.quit_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

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
        self.batch_view = QTableView(self)
        self.batch_view.setObjectName("batchTable")
        self.batch_view.setModel(self.batch_model)
        touch = self.density is Density.TOUCH
        cell_width = TOUCH_CELL_WIDTH if touch else CELL_WIDTH
        delegate = SiloProgressDelegate(self.batch_view, cell_width=cell_width,
                                        bar_height=TOUCH_BAR_HEIGHT) if touch else SiloProgressDelegate(self.batch_view)
        self.batch_view.setItemDelegateForColumn(Column.SILOS, delegate)
        self.batch_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.batch_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.batch_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.batch_view.setAlternatingRowColors(True)
        self.batch_view.setWordWrap(False)
        self.batch_view.verticalHeader().setVisible(False)
        row_height = self.fontMetrics().height() * 2 + (16 if touch else 4)
        self.batch_view.verticalHeader().setMinimumSectionSize(1)
        self.batch_view.verticalHeader().setDefaultSectionSize(max(row_height, self.density.min_target_px))
        self.batch_view.setIconSize(self.batch_view.iconSize().scaled(16, 16, Qt.AspectRatioMode.KeepAspectRatio))
        header = self.batch_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.PRODUCT, QHeaderView.ResizeMode.Stretch)
        metrics = self.batch_view.fontMetrics()
        samples = {Column.BATCH_NO: "Batch", Column.MO: "WH/MO/00000", Column.TARGET_KG: "Target kg",
                   Column.ACTUAL_KG: "Actual kg", Column.HAND_ADD: "By hand", Column.STATE: "DONE (locked)  ",
                   Column.LAST_READING: "Last PLC reading"}
        # Each column as wide as its sample plus the state icon and the cell margins (28 px): with the
        # By hand and Deviation columns the product name still fits a 1366 px screen.
        for column, sample in samples.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        # Room for 11 silo bars; a recipe with more shows '…' and lists every silo in the tooltip.
        header.resizeSection(Column.SILOS, 11 * cell_width + 12)
        self.batch_view.activated.connect(self.show_batch_detail)
        self.batch_view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.batch_view.addAction(self.details_action)
        # A row's menu: right click, or a long press on a touch screen.
        self.batch_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.batch_view.customContextMenuRequested.connect(self._show_row_menu)
        self._long_press = LongPressFilter(self.batch_view.viewport(), LONG_PRESS_MS, self._show_row_menu)

        self.idle_panel = QFrame(self)
        self.idle_panel.setObjectName("idlePanel")
        idle_layout = QVBoxLayout(self.idle_panel)
        idle_layout.addStretch(1)
        self.idle_title = QLabel(self.idle_panel)
        self.idle_title.setObjectName("idleTitle")
        self.idle_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_text = QLabel(self.idle_panel)
        self.idle_text.setObjectName("idleText")
        self.idle_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_text.setWordWrap(True)
        self.idle_text.setTextFormat(Qt.TextFormat.PlainText)
        self.idle_sync_button = QPushButton(self.idle_panel)
        self.idle_sync_button.setObjectName("idleSyncButton")
        self.idle_sync_button.clicked.connect(self.trigger_sync)
        idle_layout.addWidget(self.idle_title)
        idle_layout.addWidget(self.idle_text)
        idle_layout.addWidget(self.idle_sync_button, 0, Qt.AlignmentFlag.AlignHCenter)
        idle_layout.addStretch(2)
        self.batches_page = QStackedWidget(self)
        self.batches_page.addWidget(self.batch_view)
        self.batches_page.addWidget(self.idle_panel)

        tolerance = getattr(self.runtime, "tolerance", None)
        self.history_tab = HistoryTab(self.runtime.admin.history, self._spawn, self,
                                      outside_fetch=tolerance.outside_history if tolerance else None,
                                      verdict_fetch=tolerance.verdicts if tolerance else None)
        self.history_tab.view.verticalHeader().setDefaultSectionSize(
            max(self.history_tab.view.verticalHeader().defaultSectionSize(), self.density.min_target_px))

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.batches_page, "")
        self.tabs.addTab(self.history_tab, "")
        self.audit_tab = AuditTab(self.runtime.admin.audit_page, self._spawn, self)
        self.tabs.addTab(self.audit_tab, "")
        failures = getattr(self.runtime, "equipment_failures", None)
        self.failures_tab = FailuresTab(failures, self._spawn, self._actor, self) if failures is not None else None
        if self.failures_tab is not None:
            self.tabs.addTab(self.failures_tab, "")
            self.failures_tab.acknowledged.connect(self.request_refresh)
        self._add_report_tabs()
        self.tabs.currentChanged.connect(self._on_tab_changed)

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

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.plc_badge = StatusBadge("plcBadge", self)
        self.odoo_badge = StatusBadge("odooBadge", self)
        self.database_badge = StatusBadge("databaseBadge", self)
        self.countdown_label = QLabel(self)
        self.countdown_label.setObjectName("countdown")
        self.countdown_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("next sync in 00:00") + 24)
        for widget in (self.plc_badge, self.odoo_badge, self.database_badge, self.countdown_label):
            bar.addPermanentWidget(widget)

    def _build_menus_and_toolbar(self) -> None:
        toolbar = QToolBar(self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.trigger_sync_action)
        toolbar.addAction(self.clear_action)
        toolbar.addAction(self.pause_action)
        toolbar.addAction(self.held_action)
        toolbar.addSeparator()
        toolbar.addAction(self.details_action)
        toolbar.addSeparator()
        toolbar.addAction(self.settings_action)
        toolbar.addAction(self.silos_action)
        toolbar.addAction(self.about_action)
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
        self.toolbar = toolbar

        menus = self.menuBar()
        file_menu = self.file_menu = menus.addMenu("")
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        batch_menu = self.actions_menu = menus.addMenu("")
        batch_menu.addAction(self.trigger_sync_action)
        batch_menu.addAction(self.pause_action)
        batch_menu.addAction(self.silos_action)
        batch_menu.addAction(self.details_action)
        batch_menu.addSeparator()
        batch_menu.addAction(self.clear_action)
        batch_menu.addAction(self.held_action)
        view_menu = self.view_menu = menus.addMenu("")
        view_menu.addAction(self.log_dock.toggleViewAction())
        self.language_menu = view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        from hmi.ui.i18n import LANGUAGES, current_language

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

    # ------------------------------------------------------------------ tasks

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

    async def _refresh(self) -> None:
        while True:
            self._refresh_again = False
            try:
                batches = await self.runtime.admin.list_batches()
            except Exception as exc:  # noqa: BLE001 - the badge shows it; the window keeps running
                if self._db_error != str(exc):
                    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    log.error("The batch table cannot be read; the window shows the last rows read: %s", first_line)
                self._db_error = str(exc)
                held = None
            else:
                self._db_error = None
                if not self._closed:
                    self.batch_model.apply(batches)
                try:
                    held = len(await self.runtime.admin.held())
                except Exception:  # noqa: BLE001 - the database badge already says why
                    held = None
            if held is not None:
                self.held_count = held
                await self._refresh_failures()
            self._db_checked = True
            if not self._refresh_again or self._closed:
                break
        if not self._closed:
            self._update_status()
            self.refreshed.emit()

    def selected_row(self) -> int | None:
        rows = self.batch_view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def show_selected_detail(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.show_batch_detail(self.batch_model.index(row, 0))

    def _show_row_menu(self, position: QPoint) -> None:
        """Right click, or a long press on a touch screen: the row's details and its actions."""
        index = self.batch_view.indexAt(position)
        batch = self.batch_model.batch_at(index.row()) if index.isValid() else None
        if batch is None:
            return
        self.batch_view.selectRow(index.row())
        menu = self.batch_menu(batch)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.row_menu = menu
        menu.popup(self.batch_view.viewport().mapToGlobal(position))

    async def _refresh_failures(self) -> None:
        """Unacknowledged equipment failures for the banner; the Failures tab follows while shown."""
        service = getattr(self.runtime, "equipment_failures", None)
        if service is None or self._closed:
            return
        try:
            count = await service.unacknowledged_count()
            newest = await service.list(unacknowledged_only=True, limit=1) if count else []
        except Exception:  # noqa: BLE001 - the database badge reports database trouble
            return
        new_alert = (count, newest[0] if newest else None)
        if self.failures_tab is not None and self.failures_tab.isVisible() and new_alert != self._failure_alert:
            self.failures_tab.reload()
        self._failure_alert = new_alert

    def show_batch_detail(self, index: QModelIndex) -> None:
        batch = self.batch_model.batch_at(index.row())
        if batch is None or not self._allowed(Action.OPEN_DETAILS):
            return
        tolerance = self.batch_model.tolerance
        dialog = dialogs.BatchDetailDialog(
            batch, self, values_current=self.batch_model.is_current(batch), on_action=self._on_detail_action,
            verdict=tolerance.verdict(batch) if tolerance is not None else None,
            on_hand_add_confirm=lambda product_id, text, accept: self._spawn(
                self._confirm_hand_add(dialog, batch.mo_id, product_id, text, accept)))
        if not self.session.can(Action.BATCH_ACTION):
            # The actions stay visible, disabled, saying which role they need.
            for button in dialog.action_buttons.values():
                button.setEnabled(False)
                button.setToolTip(self.needs_text(Action.BATCH_ACTION))
        from hmi.ui.ticket import extend_detail_dialog

        extend_detail_dialog(dialog, batch, self.runtime)  # dosing curve and Ticket…
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal without a nested event loop
        self.detail_dialog = dialog

    async def _confirm_hand_add(self, dialog, mo_id: str, product_id: int, text: str, accept_target: bool) -> None:
        """Store one hand-added confirmation through the service layer (off the GUI thread), then show it."""
        service = self.runtime.admin.hand_add
        actor = self._actor()
        try:
            line = await service.confirm(mo_id, product_id, None if accept_target else text, actor,
                                         accept_target=accept_target)
            lines = await service.lines(mo_id)
        except HandAddRefused as exc:
            message, lines = localized(exc.args[0] if exc.args else exc), None
        except Exception as exc:  # noqa: BLE001 - tell the operator, keep the window
            log.error("Confirming a hand-added component of MO %s failed: %s", mo_id, exc)
            message, lines = self.tr("could not be stored: {reason}").format(reason=plain_error(first_line(exc))), None
        else:
            message = self.tr("{product}: {kg} kg confirmed by {actor}").format(
                product=line.product_name, kg=f"{line.actual_kg:g}", actor=actor)
        checklist = getattr(dialog, "checklist", None)
        try:
            if checklist is not None:
                if lines is None:
                    checklist.show_refusal(message)
                else:
                    dialog.show_hand_added(lines)
                    checklist.show_confirmed(message)
        except RuntimeError:  # the operator closed the dialog meanwhile; the table shows the outcome
            pass
        self.request_refresh()

    def _on_detail_action(self, action: str, batch: Batch) -> None:
        dialog = getattr(self, "detail_dialog", None)
        if self.run_batch_action(action, batch) and dialog is not None:
            dialog.close()

    def batch_menu(self, batch: Batch) -> QMenu:
        """Details and the actions that apply to the batch's state (the others disabled, saying why)."""
        menu = QMenu(self.batch_view)
        menu.addAction(self.details_action)
        menu.addSeparator()
        for key in dialogs.BATCH_ACTION_TEXT:
            action = menu.addAction(dialogs.batch_action_text(key))
            permitted = self.session.can(Action.BATCH_ACTION)
            action.setEnabled(permitted and dialogs.batch_action_allowed(key, batch.state))
            action.setToolTip(dialogs.batch_action_tooltip(key, batch.state) if permitted
                              else self.needs_text(Action.BATCH_ACTION))
            action.triggered.connect(lambda _checked=False, k=key: self.run_batch_action(k, batch))
        menu.setToolTipsVisible(True)
        return menu

    def run_batch_action(self, action: str, batch: Batch) -> bool:
        """Ask (where the action cannot be undone), then run it through the service layer. True if started."""
        if not dialogs.batch_action_allowed(action, batch.state) or not self._allowed(Action.BATCH_ACTION):
            return False
        question = dialogs.batch_action_question(action, batch.mo_id)
        if question and not dialogs.ask_yes_no(self, dialogs.batch_action_title(batch.batch_no), question):
            log.info("%s of MO %s declined by %s", action, batch.mo_id, self._actor(), extra={"actor": self._actor()})
            return False
        admin = self.runtime.admin
        run = {"retry": admin.retry_push, "cancel": admin.cancel_in_odoo,
               "archive_failed": admin.archive_failed}[action]
        self._spawn(self._run_batch_action(run, batch, self._actor()))
        return True

    async def _run_batch_action(self, run, batch: Batch, actor: str) -> None:
        try:
            await run(batch.mo_id, actor)
        except ActionRefused as exc:
            self.statusBar().showMessage(localized(exc.text), STATUS_MESSAGE_MS)
        except Exception as exc:  # noqa: BLE001 - tell the operator, keep the window
            log.error("Action on MO %s failed: %s", batch.mo_id, exc)
            self.statusBar().showMessage(self.tr("Action on MO {mo} failed: {reason}").format(
                mo=batch.mo_id, reason=plain_error(first_line(exc))), STATUS_MESSAGE_MS)
        else:
            self.statusBar().showMessage(self.tr("MO {mo}: done").format(mo=batch.mo_id), STATUS_MESSAGE_MS)
        self.request_refresh()
        if self.history_tab.loaded_once:
            self.history_tab.reload()

    def show_held(self) -> None:
        if not self._allowed(Action.RELEASE_HELD):
            return
        admin = self.runtime.admin
        dialog = HeldListDialog(admin.held, lambda mo_ids, reason: admin.release(mo_ids, reason, self._actor()),
                                self._spawn, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.request_refresh())
        dialog.open()
        dialog.reload()
        self.held_dialog = dialog

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.history_tab:
            self.history_tab.reload()
        elif self.tabs.widget(index) is self.audit_tab:
            self.audit_tab.reload()
        elif self.failures_tab is not None and self.tabs.widget(index) is self.failures_tab:
            self.failures_tab.reload()
        elif self.tabs.widget(index) in (self.reports_tab, self.trends_tab) and self.tabs.widget(index) is not None:
            self.tabs.widget(index).reload()

    def _add_report_tabs(self) -> None:
        """Reports and Trends tabs, and the batch ticket on a double-click in History (hmi.ui.reports_tab,
        hmi.ui.trends_tab, hmi.ui.ticket)."""
        self.reports_tab = self.trends_tab = None
        reports = getattr(self.runtime, "reports", None)
        if reports is None:
            return
        from hmi.ui.reports_tab import ReportsTab
        from hmi.ui.trends_tab import TrendsTab

        self.reports_tab = ReportsTab(reports, self._spawn, self)
        self.trends_tab = TrendsTab(reports, self._spawn, self)
        self.tabs.addTab(self.reports_tab, "")
        self.tabs.addTab(self.trends_tab, "")
        self.history_tab.view.doubleClicked.connect(self._open_history_ticket)

    def _open_history_ticket(self, index: QModelIndex) -> None:
        from hmi.ui.ticket import open_history_ticket

        entries = self.history_tab.model.entries
        if 0 <= index.row() < len(entries):
            self.ticket_dialog = open_history_ticket(self.runtime, entries[index.row()], self)

    # ------------------------------------------------------------------ actions

    @property
    def sync_running(self) -> bool:
        return self._manual_sync_running or bool(self.runtime.sync is not None and self.runtime.sync.running)

    def trigger_sync(self) -> None:
        if self.sync_running or self._clear_running or not self._allowed(Action.TRIGGER_SYNC):
            return
        self._manual_sync_running = True
        self.statusBar().showMessage(self.tr("Sync running…"))
        self._update_actions()
        log.info("Trigger sync by %s", self._actor(), extra={"actor": self._actor()})
        self.scheduler.spawn(self._run_manual_sync())

    async def _run_manual_sync(self) -> None:
        try:
            await self.scheduler.run_sync("manual")  # same call as the timer; emits sync_finished
        finally:
            self._manual_sync_running = False
            self._update_actions()

    def _on_sync_finished(self, outcome: SyncOutcome) -> None:
        # Connected to a signal emitted inside the sync task: never open a modal dialog here.
        text = self.describe_outcome(outcome)
        prefix = self.tr("Trigger sync: ") if self._manual_sync_running else ""
        english = ("Trigger sync: " if self._manual_sync_running else "") + self.describe_outcome(outcome, english=True)
        stamp = self._clock().astimezone().strftime("%H:%M:%S")
        self._show_message(f"{stamp} {prefix}{text}", success=outcome.ok)
        if self._manual_sync_running:
            log.log(logging.WARNING if outcome.outcome == "failed" else logging.INFO, "%s", english)
        self.request_refresh()
        self._update_status()

    def _show_message(self, text: str, success: bool = False) -> None:
        """Status-bar message; a success is not shown while the banner reports a fault."""
        if success and self.banner_lines():
            self.statusBar().clearMessage()
            self._status_is_success = False
            return
        shown = self._fit_status_text(text)
        self.statusBar().showMessage(shown, STATUS_MESSAGE_MS)
        self.statusBar().setToolTip(text)
        self._status_is_success = success
        #: (whole text, what the bar shows, when it goes) to fit it again when the window is resized.
        self._status_fit = (text, shown, time.monotonic() + STATUS_MESSAGE_MS / 1000)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._schedule_status_refit()

    def _schedule_status_refit(self) -> None:
        """Fit the status message again once the status bar has laid out its badges. A timer owned by
        the window: it dies with the window, so no call can reach a deleted one."""
        timer = getattr(self, "_status_refit_timer", None)
        if timer is None:
            timer = self._status_refit_timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(0)
            timer.timeout.connect(self._refit_status_text)
        timer.start()

    def _refit_status_text(self) -> None:
        whole, shown, until = getattr(self, "_status_fit", ("", "", 0.0))
        left_ms = int((until - time.monotonic()) * 1000)
        if not whole or left_ms <= 0 or self.statusBar().currentMessage() != shown:
            return  # gone, or replaced by another message
        again = self._fit_status_text(whole)
        if again != shown:
            self.statusBar().showMessage(again, left_ms)
            self._status_fit = (whole, again, until)

    def _fit_status_text(self, text: str) -> str:
        """The message as far as it fits left of the badges, ending in "…" when cut (the whole of it is
        the status bar's tooltip, and a failure's is in the log and the banner)."""
        bar = self.statusBar()
        badges = [child.x() for child in bar.findChildren(QWidget)
                  if child.parent() is bar and child.isVisible() and child.x() > 0]
        room = min(badges, default=bar.width()) - 12
        return bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(80, room))

    def clear_table(self) -> None:
        count = self.batch_model.rowCount()
        if count == 0 or self._clear_running or self.sync_running or self.session.role is None:
            return
        actor = self._actor()
        # What the operator is shown is what Clear acts on: if a sync or completion changes the table
        # meanwhile (during the question or the approval), nothing is cleared and they are told.
        shown = [b.mo_id for b in self.batch_model.batches]
        staying = [b.mo_id for b in self.batch_model.batches if b.status_manufacturing or b.status_operation]
        # The question is answered before any coroutine starts (qasync: no nested loop inside a task).
        choice = dialogs.ask_clear_choice(self, shown, staying)
        if choice is None:
            log.info("Clear of the batch table declined by %s", actor, extra={"actor": actor})
            self.statusBar().showMessage(self.tr("Clear cancelled: the table was not changed"), STATUS_MESSAGE_MS)
            return
        plc_was_reset = choice == dialogs.CLEAR_AND_RELEASE
        if self.session.can(Action.CLEAR_TABLE):
            self._start_clear(actor, plc_was_reset, shown)
        else:
            self._ask_approval(Action.CLEAR_TABLE, QT_TRANSLATE_NOOP("MainWindow", "Clear of the batch table"),
                               lambda approver: self._start_clear(f"{actor}+{approver.name}", plc_was_reset, shown))

    def _start_clear(self, actor: str, plc_was_reset: bool, shown: list[str]) -> None:
        if self._clear_running or self.sync_running:
            return
        self._clear_running = True
        self._update_actions()
        self.statusBar().showMessage(self.tr("Clearing the table…"))
        self.scheduler.spawn(self._run_clear(actor, plc_was_reset=plc_was_reset, shown=shown))

    def _ask_approval(self, action: str, what: str, approved: Callable) -> None:
        """Two-person override: someone with the needed role approves with their PIN (logged with both names)."""
        needed = required_role(action)
        on_behalf_of = self._actor()

        async def open_dialog() -> None:
            names = [op.name for op in await self.session.service.list() if op.active and op.role >= needed]
            dialog = SignInDialog(
                names, lambda name, pin: self.session.service.confirm(name, pin, needed, on_behalf_of, what),
                self._spawn, self, title=self.tr("Approval needed"), ok_text=self.tr("Approve"),
                prompt=self.tr("{what} needs a {role}. A {role} chooses their name and enters their PIN to "
                               "approve it.").format(what=self.tr(what), role=self.role_name(needed)))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: approved(dialog.result_value))
            dialog.rejected.connect(lambda: log.info("%s: approval cancelled by %s", what, on_behalf_of,
                                                     extra={"actor": on_behalf_of}))
            dialog.open()
            self.approval_dialog = dialog

        self._spawn(open_dialog())

    async def _run_clear(self, actor: str, plc_was_reset: bool = False, shown: list[str] | None = None) -> None:
        try:
            result = await self.runtime.admin.clear(actor, plc_was_reset=plc_was_reset, mo_ids=shown)
        except Busy:
            self.statusBar().showMessage(self.tr("Clear not started: a clear is already running"), STATUS_MESSAGE_MS)
        except TableChanged:
            self._show_message(self.tr("Clear not done: the batch table changed while you were asked; nothing "
                                       "was cleared. Look at the table and clear again"), success=False)
        except Exception as exc:  # noqa: BLE001 - tell the operator, keep the window
            log.error("Clearing the batch table failed: %s", exc)
            self.statusBar().showMessage(self.tr("Clear failed: {error}").format(
                error=plain_error(first_line(exc))), STATUS_MESSAGE_MS)
        else:
            held = self.tr("; {mos} held until released").format(
                mos=self.count(len(result.held), self.tr("MO"), self.tr("MOs"))) if result.held else ""
            if result.kept:
                held += self.tr("; {batches} stay until reported to Odoo").format(
                    batches=self.count(len(result.kept), self.tr("batch"), self.tr("batches")))
            self._show_message(self.tr("Cleared by {actor}: {batches} moved to the history").format(
                actor=actor, batches=self.count(result.count, self.tr("batch"), self.tr("batches"))) + held)
        finally:
            self._clear_running = False
            self._update_actions()
            self.request_refresh()
            if self.history_tab.loaded_once:
                self.history_tab.reload()

    def toggle_auto_sync(self) -> None:
        if not self._allowed(Action.TOGGLE_AUTO_SYNC):
            return
        self.scheduler.set_auto_sync_enabled(not self.scheduler.auto_sync_enabled, self._actor())

    def _on_auto_sync_changed(self, enabled: bool) -> None:
        self.pause_action.setText(self.tr("&Pause auto-sync") if enabled else self.tr("&Resume auto-sync"))
        self._pause_tip = (self.tr("Stop the sync timer (manual Trigger sync still works) (F6)") if enabled
                           else self.tr("Start the sync timer again (F6)"))
        self._update_countdown()
        if hasattr(self, "toolbar"):
            self._update_actions()

    def show_settings(self) -> None:
        if not self._allowed(Action.EDIT_SETTINGS):
            return
        from hmi.app.settings_apply import apply_at_runtime
        from hmi.ui.settings_editor_dialog import SettingsEditorDialog

        dialog = SettingsEditorDialog(
            self.runtime.settings, self._spawn, self, actor=self._actor, operators=self.session.service,
            api_tokens=getattr(self.runtime, "api_tokens", None),
            on_saved=lambda saved: apply_at_runtime(self.runtime, self.scheduler, saved, self._actor()),
            show_effective=self.show_effective_settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.settings_dialog = dialog

    def show_effective_settings(self) -> None:
        """Every setting in effect and where it came from (read-only)."""
        dialog = dialogs.SettingsDialog(self.runtime.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.effective_settings_dialog = dialog

    def show_silos(self) -> None:
        from hmi.ui.silos_dialog import SilosDialog

        if self.runtime.silo_assignment is None or not self._allowed(Action.EDIT_SILO_ASSIGNMENT):
            return
        dialog = SilosDialog(self.runtime.silo_assignment, self._spawn, self._actor, self,
                             tolerance=getattr(self.runtime, "tolerance", None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.silos_dialog = dialog

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About Batch HMI"), dialogs.about_text(),
                          QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.about_box = box

    # ------------------------------------------------------------------ status

    def _on_ui_clock(self) -> None:
        self.batch_model.refresh_ages()
        self._update_status()

    def _update_status(self) -> None:
        # Badges may have grown ("Odoo FAULT"): the message left of them is fitted again (after layout).
        self._schedule_status_refit()
        now = self._clock()
        health = self.runtime.health  # the service layer's one judgement of the links
        self.plc_status = health.plc_status(now)
        self.odoo_status = health.odoo_status()
        self.batch_model.set_plc_quality(self.plc_status.quality)
        self.plc_badge.show_state(plc_badge(self.plc_status, now))
        self.odoo_badge.show_state(odoo_badge(self.odoo_status, now))
        self.database_badge.show_state(database_badge(self._db_error, self._db_checked))
        self._update_countdown()
        self._update_banner()
        self._update_idle_panel()
        self._update_actions()

    def _update_countdown(self) -> None:
        if self.sync_running:
            text = self.tr("sync running…")
        elif not self.scheduler.auto_sync_enabled:
            text = self.tr("auto-sync paused")
        else:
            remaining = self.scheduler.next_sync_in_seconds()
            text = (self.tr("next sync in {time}").format(time=format_countdown(remaining)) if remaining is not None
                    else self.tr("auto-sync waiting"))
        self.countdown_label.setText(text)

    def banner_lines(self) -> list[str]:
        """What is wrong, most urgent first: the PLC, then syncs, then batches Odoo did not take."""
        lines = []
        plc = self.plc_status
        if plc is not None and plc.quality in (LinkQuality.OFFLINE, LinkQuality.STALE):
            since = (self.tr("last reading {age} ago").format(age=format_age(plc.last_good_read, self._clock()))
                     if plc.last_good_read else self.tr("no reading since start-up"))
            link = "" if plc.link_state == "CONNECTED" else self.tr(", link {state}").format(
                state=link_word(plc.link_state).lower())
            word = self.tr("PLC OFFLINE") if plc.quality is LinkQuality.OFFLINE else self.tr("PLC STALE")
            lines.append(self.tr("{word}: PLC at {endpoint}, {since}{link}. Batch states and values below are the "
                                 "last ones read, NOT CURRENT. Check the PLC and its network; the link reconnects "
                                 "by itself.").format(word=word, endpoint=plc.endpoint, since=since, link=link))
        if self._db_error:
            lines.append(self.tr("{word}: the batch table cannot be read; the table below is not current. "
                                 "Check the database server (details in the DB badge).").format(
                word=self.tr(FAULT_WORDS[1])))
        alert = self.runtime.health.alert
        if self.alarm_views is not None:
            # Then the alarm list, highest priority unacknowledged first: failing syncs, batches Odoo
            # did not take, held downloads and the rest are alarms there (docs/operations.md, Alarms).
            lines += self.alarm_views.banner_lines()
        elif alert:
            lines.append(self.tr("{word}: {alert}. {next}").format(
                word=self.tr(FAULT_WORDS[2]), alert=localized(alert).rstrip("."), next=self._next_sync_phrase()))
        attention = [b for b in self.batch_model.batches if b.state is BatchState.ATTENTION]
        if attention and self.alarm_views is None:
            which = ", ".join(self.tr("batch {batch} (MO {mo})").format(batch=b.batch_no, mo=b.mo_id)
                              for b in attention[:3])
            if len(attention) > 3:
                which += self.tr(" and {n} more").format(n=len(attention) - 3)
            lines.append(self.tr("ATTENTION: Odoo did not take the report of {which}. It is not retried "
                                 "automatically: select the row and press Details for Odoo's answer.").format(
                which=which))
        held = [b for b in self.batch_model.batches if b.state is BatchState.HELD]
        if held and self.alarm_views is None:
            batches = self.count(len(held), self.tr("batch"), self.tr("batches"))
            mos = ", ".join(b.mo_id for b in held[:3]) + (" …" if len(held) > 3 else "")
            lines.append(self.tr("HELD: the PLC has not confirmed the download of {batches} (MO {mos}); they are not "
                                 "downloaded again. The PLC is asked at every sync; if it was reset, Clear and "
                                 "release.").format(batches=batches, mos=mos))
        count, newest = self._failure_alert
        if count and newest is not None:
            more = self.tr("; {count} unacknowledged").format(count=count) if count > 1 else ""
            lines.append(self.tr("EQUIPMENT FAILURE: {code} - {info} (PLC time {time}){more}; acknowledge it in the "
                                 "Equipment failures tab").format(code=newest.equipment_code, info=newest.info,
                                                                  time=newest.failure_time_text, more=more))
        return lines

    def _update_banner(self) -> None:
        lines = self.banner_lines()
        text = "\n".join(lines)
        if text != self.alert_text.text():
            self.alert_text.setText(text)
        # Red for a fault (PLC offline, database, sync alert); amber when values are only stale or a
        # batch waits for an operator. The shape and the first word say the same without colour.
        fault_words = tuple(self.tr(word) for word in FAULT_WORDS) + FAULT_WORDS
        severity = "fault" if any(line.startswith(fault_words) for line in lines) else "warning"
        if self.alert_banner.property("severity") != severity:
            self.alert_banner.setProperty("severity", severity)
            repolish(self.alert_banner)
        self.alert_banner.setVisible(bool(lines))
        if lines and self._status_is_success:
            # An old "Sync fetched …" must not sit under a fault as if all were well.
            self.statusBar().clearMessage()
            self._status_is_success = False

    def idle_reason(self) -> str:
        """What an empty line is waiting for, in one or two sentences."""
        plc = self.plc_status
        odoo = self.odoo_status
        if self.sync_running:
            return self.tr("A sync is running: asking Odoo for the next MOs.")
        if plc is not None and plc.quality is LinkQuality.OFFLINE:
            return self.tr("Waiting for the PLC: it is OFFLINE, so no recipes can be written to it. "
                           "The next sync fetches MOs once the PLC answers again.")
        if odoo is not None and odoo.state == "FAULT":
            when = self._next_sync_phrase()
            return self.tr("Odoo unreachable: the last request failed. {when} The Odoo badge's tooltip has the "
                           "error.").format(when=when)
        if not self.scheduler.auto_sync_enabled:
            return self.tr("Auto-sync is paused: press Trigger sync to fetch the next MOs from Odoo, or Resume "
                           "auto-sync.")
        last = self.runtime.health.last_sync
        nothing = self.tr(" Odoo had no MOs ready for this line at the last sync.") if last is not None \
            and last.outcome == "synced" and not last.count else ""
        return self.tr("Waiting for the next sync.") + nothing + " " + self._next_sync_phrase()

    def _next_sync_phrase(self) -> str:
        if not self.scheduler.auto_sync_enabled:
            return self.tr("Auto-sync is paused; Trigger sync tries now.")
        remaining = self.scheduler.next_sync_in_seconds()
        if remaining is None:
            return self.tr("Trigger sync tries now.")
        return self.tr("Next sync in {time}; Trigger sync tries now.").format(time=format_countdown(remaining))

    def _update_idle_panel(self) -> None:
        empty = self.batch_model.rowCount() == 0 and self._db_checked and not self._db_error
        if empty:
            text = self.idle_reason()
            if text != self.idle_text.text():
                self.idle_text.setText(text)
        self.batches_page.setCurrentWidget(self.idle_panel if empty else self.batch_view)

    def _update_actions(self) -> None:
        held_text = (self.tr("&Held MOs ({count})").format(count=self.held_count) if self.held_count
                     else self.tr("&Held MOs"))
        if self.held_action.text() != held_text:
            self.held_action.setText(held_text)
        # Who may: the role gates first, and its tooltip names the role needed. The table, the
        # states, the log and the badges stay live for everybody.
        self._gate(self.held_action, Action.RELEASE_HELD, True,
                   self.tr("MOs that reached the PLC and left the table unfinished; release them here"))
        self._gate(self.settings_action, Action.EDIT_SETTINGS, True,
                   self.tr("Connections, sync and line settings; test each connection (Ctrl+,)"))
        self._gate(self.silos_action, Action.EDIT_SILO_ASSIGNMENT, True,
                   self.tr("Which product is in which silo and tank (stock Odoo)"))
        self._gate(self.pause_action, Action.TOGGLE_AUTO_SYNC, True, self._pause_tip)
        sync_running = self.sync_running
        if self._clear_running:
            self.idle_sync_button.setEnabled(False)
            self._gate(self.trigger_sync_action, Action.TRIGGER_SYNC, False, self.tr(TIP_CLEARING))
            self._gate(self.clear_action, Action.REQUEST_CLEAR, False, self.tr(TIP_CLEARING))
            return
        self._gate(self.trigger_sync_action, Action.TRIGGER_SYNC, not sync_running,
                   self.tr(TIP_SYNC_RUNNING) if sync_running else self.tr(TIP_SYNC))
        self.idle_sync_button.setEnabled(self.trigger_sync_action.isEnabled())
        self.idle_sync_button.setToolTip(self.trigger_sync_action.toolTip())
        selected = self.selected_row() is not None
        self._gate(self.details_action, Action.OPEN_DETAILS, selected,
                   self.tr(TIP_DETAILS) if selected else self.tr(TIP_DETAILS_NONE))
        if sync_running:
            clear = (False, self.tr(TIP_CLEAR_WAITS_FOR_SYNC))
        elif self.batch_model.rowCount() == 0:
            clear = (False, self.tr(TIP_NOTHING_TO_CLEAR))
        elif self.session.role is not None and not self.session.can(Action.CLEAR_TABLE):
            clear = (True, self.tr(TIP_CLEAR) + " — " + self.tr("a {role} approves with their PIN").format(
                role=self.role_name(required_role(Action.CLEAR_TABLE))))
        else:
            clear = (True, self.tr(TIP_CLEAR))
        # An operator may start a Clear; a supervisor then approves it (two-person override).
        self._gate(self.clear_action, Action.REQUEST_CLEAR, *clear)

    def role_name(self, role: Role) -> str:
        return {Role.OPERATOR: self.tr("Operator"), Role.SUPERVISOR: self.tr("Supervisor"),
                Role.ENGINEER: self.tr("Engineer")}[role]

    def needs_text(self, action: str) -> str:
        """Why an action is disabled for who is signed in (or nobody)."""
        role = self.role_name(required_role(action))
        if self.session.operator is None:
            return self.tr("Needs {role}: sign in first (view only)").format(role=role)
        return self.tr("Needs {role}; signed in: {name} ({current})").format(
            role=role, name=self.session.name, current=self.role_name(self.session.role))

    def _gate(self, action: QAction, key: str, enabled: bool, tip: str) -> None:
        if not self.session.can(key):
            self._set_action(action, False, self.needs_text(key))
        else:
            self._set_action(action, enabled, tip)

    def _allowed(self, key: str) -> bool:
        """For shortcuts and double-clicks that bypass a disabled button: say why, do nothing."""
        if self.session.can(key):
            return True
        self.statusBar().showMessage(self.needs_text(key), STATUS_MESSAGE_MS)
        return False

    # ------------------------------------------------------------------ sign-in

    def _on_session_changed(self, operator) -> None:
        if operator is None:
            self.operator_label.setText(self.tr("Not signed in — view only"))
            self.sign_action.setText(self.tr("Sign in"))
            self.sign_action.setToolTip(self.tr("Sign in with your name and PIN to operate"))
            for name in ("detail_dialog", "held_dialog", "settings_dialog", "silos_dialog"):
                dialog = getattr(self, name, None)
                try:
                    if dialog is not None and dialog.isVisible():
                        dialog.close()
                except RuntimeError:  # already deleted
                    pass
        else:
            self.operator_label.setText(f"{operator.name} · {self.role_name(operator.role)}")
            self.sign_action.setText(self.tr("Sign out"))
            self.sign_action.setToolTip(self.tr("Sign out {name}; the window stays on, view only").format(
                name=operator.name))
        self._update_actions()
        if getattr(self, "alarm_views", None) is not None:
            self.alarm_views.dock._update_buttons()

    def sign_in_or_out(self) -> None:
        if self.session.operator is not None:
            self.session.sign_out()
            return
        self._spawn(self._open_sign_in())

    async def _open_sign_in(self) -> None:
        names = [op.name for op in await self.session.service.list() if op.active]
        dialog = SignInDialog(names, self.session.sign_in, self._spawn, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.sign_in_dialog = dialog

    def start_first_start_check(self) -> None:
        self._spawn(self.check_first_start())

    async def check_first_start(self) -> None:
        """No active engineer yet: ask for the first one (the window stays view only until then)."""
        service = self.session.service
        if service is None or not await service.needs_first_engineer():
            return

        async def create(name: str, pin: str):
            await service.add(name, Role.ENGINEER, pin, "first start")
            return await self.session.sign_in(name, pin)

        dialog = FirstEngineerDialog(create, self._spawn, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.first_engineer_dialog = dialog

    @staticmethod
    def _set_action(action: QAction, enabled: bool, tip: str) -> None:
        if action.isEnabled() != enabled:
            action.setEnabled(enabled)
        if action.toolTip() != tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)

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
            if self.alarm_views is not None:
                self.alarm_views.close_down()
            for signal, slot in ((self.scheduler.poll_finished, self.request_refresh),
                                 (self.scheduler.completion_finished, self.request_refresh),
                                 (self.scheduler.sync_finished, self._on_sync_finished),
                                 (self.scheduler.auto_sync_changed, self._on_auto_sync_changed)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            self.closing.emit()
        event.accept()

    async def wait_for_tasks(self, timeout: float = 5.0) -> None:
        """Let UI reads in flight end before the runtime closes the database."""
        await self._tasks.drain(timeout)
