"""The window's tabs: Batches, History, Audit, Equipment failures, Reports and Trends.

A tab reads its data when it is shown; History opens a batch's ticket on a double-click. The
unacknowledged equipment failures are read here too, for the banner.
"""

from __future__ import annotations

from typing import Callable, Coroutine

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from hmi.ui.audit_tab import AuditTab
from hmi.ui.density import Density
from hmi.ui.failures_tab import FailuresTab
from hmi.ui.history_tab import HistoryTab
from hmi.ui.ports import WindowPort

translate = QCoreApplication.translate


class WindowTabs(QTabWidget):
    #: An equipment failure was acknowledged (the banner follows).
    failures_acknowledged = Signal()

    def __init__(self, parent: QWidget, port: WindowPort, batches_page: QWidget, *,
                 spawn: Callable[[Coroutine], object], actor: Callable[[], str], density: Density) -> None:
        super().__init__(parent)
        self.port = port
        self.batches_page = batches_page
        self._spawn = spawn
        tolerance = port.tolerance
        clock = port.reports.clock if port.reports is not None else None
        self.history_tab = HistoryTab(port.actions.history, spawn, parent, clock=clock,
                                      outside_fetch=tolerance.outside_history if tolerance else None,
                                      verdict_fetch=tolerance.verdicts if tolerance else None)
        self.history_tab.view.verticalHeader().setDefaultSectionSize(
            max(self.history_tab.view.verticalHeader().defaultSectionSize(), density.min_target_px))
        self.addTab(batches_page, "")
        self.addTab(self.history_tab, "")
        self.audit_tab = AuditTab(port.actions.audit_page, spawn, parent, clock=clock)
        self.addTab(self.audit_tab, "")
        failures = port.equipment_failures
        self.failures_tab = FailuresTab(failures, spawn, actor, parent) if failures is not None else None
        if self.failures_tab is not None:
            self.addTab(self.failures_tab, "")
            self.failures_tab.acknowledged.connect(self.failures_acknowledged)
        #: (unacknowledged equipment failures, the newest of them) for the banner.
        self.failure_alert: tuple[int, object | None] = (0, None)
        self.ticket_dialog = None
        self._add_report_tabs(parent)
        self.currentChanged.connect(self._on_tab_changed)

    def _add_report_tabs(self, parent: QWidget) -> None:
        """Reports and Trends tabs, and the batch ticket on a double-click in History (hmi.ui.reports_tab,
        hmi.ui.trends_tab, hmi.ui.ticket)."""
        self.reports_tab = self.trends_tab = None
        reports = self.port.reports
        if reports is None:
            return
        from hmi.ui.reports_tab import ReportsTab
        from hmi.ui.trends_tab import TrendsTab

        self.reports_tab = ReportsTab(reports, self._spawn, parent)
        self.trends_tab = TrendsTab(reports, self._spawn, parent)
        self.addTab(self.reports_tab, "")
        self.addTab(self.trends_tab, "")
        self.history_tab.view.doubleClicked.connect(self._open_history_ticket)

    def retranslate_titles(self) -> None:
        self.setTabText(self.indexOf(self.batches_page), translate("MainWindow", "&Batches"))
        self.setTabText(self.indexOf(self.history_tab), translate("MainWindow", "&History"))
        self.setTabText(self.indexOf(self.audit_tab), translate("MainWindow", "A&udit"))
        for tab, title in ((self.reports_tab, translate("MainWindow", "Rep&orts")),
                           (self.trends_tab, translate("MainWindow", "&Trends"))):
            if tab is not None:
                self.setTabText(self.indexOf(tab), title)
        if self.reports_tab is not None:
            self.history_tab.view.setToolTip(translate("MainWindow", "Double-click a row for the batch ticket and "
                                                                     "its dosing curve"))

    def _on_tab_changed(self, index: int) -> None:
        shown = self.widget(index)
        if shown is not None and shown in (self.history_tab, self.audit_tab, self.failures_tab, self.reports_tab,
                                           self.trends_tab):
            shown.reload()

    def history_changed(self) -> None:
        """Batches moved to the history: a History tab read before reads again."""
        if self.history_tab.loaded_once:
            self.history_tab.reload()

    def _open_history_ticket(self, index: QModelIndex) -> None:
        from hmi.ui.ticket import open_history_ticket

        entries = self.history_tab.model.entries
        if 0 <= index.row() < len(entries):
            self.ticket_dialog = open_history_ticket(self.port, entries[index.row()], self.window())

    async def refresh_failures(self) -> None:
        """Unacknowledged equipment failures for the banner; the Failures tab follows while shown."""
        service = self.port.equipment_failures
        if service is None:
            return
        try:
            count = await service.unacknowledged_count()
            newest = await service.list(unacknowledged_only=True, limit=1) if count else []
        except Exception:  # noqa: BLE001 - the database badge reports database trouble
            return
        new_alert = (count, newest[0] if newest else None)
        if self.failures_tab is not None and self.failures_tab.isVisible() and new_alert != self.failure_alert:
            self.failures_tab.reload()
        self.failure_alert = new_alert
