"""The operator's work on batches: details and hand-added components, a row's actions, Clear with its
two-person approval, and the Held MOs list.

Handed what it needs by the window (the port, the session, the batch table and callables to show a
status message); it tells the window by signals (a refresh, the history changed, Clear started or
ended) and never calls back into it. Texts keep the "MainWindow" translation context.
"""

from __future__ import annotations

import logging
from typing import Callable, Coroutine

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView, QWidget

from hmi.domain import Batch
from hmi.services.access import Action, required_role
from hmi.services.admin import ActionRefused, TableChanged
from hmi.services.flight import Busy
from hmi.services.hand_add import HandAddRefused
from hmi.services.messages import first_line
from hmi.ui import dialogs
from hmi.ui.batch_model import BatchTableModel
from hmi.ui.formatting import plain_error
from hmi.ui.gate import needs_text, role_name
from hmi.ui.held_dialog import HeldListDialog
from hmi.ui.i18n import localized
from hmi.ui.ports import WindowPort
from hmi.ui.session import OperatorSession
from hmi.ui.signin_dialog import SignInDialog
from hmi.ui.touch import LongPressFilter
from hmi.ui.window_status import count

log = logging.getLogger("hmi.ui")
translate = QCoreApplication.translate

STATUS_MESSAGE_MS = 30_000
#: A press held this long on a row opens its menu (touch screens have no right button).
LONG_PRESS_MS = 600


class BatchWorkflows(QObject):
    #: The batch table should be read again.
    refresh_requested = Signal()
    #: Batches moved to the history (an open History tab reads again).
    history_changed = Signal()
    #: A Clear started or ended (the actions' states follow ``clear_running``).
    clear_changed = Signal()

    def __init__(self, parent: QWidget, port: WindowPort, session: OperatorSession, model: BatchTableModel,
                 view: QTableView, details_action: QAction, *, spawn: Callable[[Coroutine], object],
                 spawn_work: Callable[[Coroutine], object], sync_running: Callable[[], bool],
                 show_status: Callable[..., None], show_message: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.window = parent  # the dialogs' parent only
        self.port = port
        self.session = session
        self.model = model
        self.view = view
        self.details_action = details_action
        self._spawn = spawn
        self._spawn_work = spawn_work  # the scheduler's: a Clear outlives a closing window's tasks
        self._sync_running = sync_running
        self._show_status = show_status
        self._show_message = show_message
        self.clear_running = False
        self.detail_dialog = self.held_dialog = self.approval_dialog = self.row_menu = None
        view.activated.connect(self.show_batch_detail)
        view.addAction(details_action)
        # A row's menu: right click, or a long press on a touch screen.
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._show_row_menu)
        self._long_press = LongPressFilter(view.viewport(), LONG_PRESS_MS, self._show_row_menu)

    def _actor(self) -> str:
        return self.session.name

    def allowed(self, key: str) -> bool:
        """For shortcuts and double-clicks that bypass a disabled button: say why, do nothing."""
        if self.session.can(key):
            return True
        self._show_status(needs_text(key, self.session.role, self.session.name), STATUS_MESSAGE_MS)
        return False

    def dialogs(self) -> list:
        """The dialogs this part opened (closed when the operator signs out)."""
        return [self.detail_dialog, self.held_dialog]

    # ------------------------------------------------------------------ details and hand-add

    def selected_row(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def show_selected_detail(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.show_batch_detail(self.model.index(row, 0))

    def show_batch_detail(self, index: QModelIndex) -> None:
        batch = self.model.batch_at(index.row())
        if batch is None or not self.allowed(Action.OPEN_DETAILS):
            return
        tolerance = self.model.tolerance
        dialog = dialogs.BatchDetailDialog(
            batch, self.window, values_current=self.model.is_current(batch), on_action=self._on_detail_action,
            verdict=tolerance.verdict(batch) if tolerance is not None else None,
            on_hand_add_confirm=lambda product_id, text, accept: self._spawn(
                self._confirm_hand_add(dialog, batch.mo_id, product_id, text, accept)))
        if not self.session.can(Action.BATCH_ACTION):
            # The actions stay visible, disabled, saying which role they need.
            for button in dialog.action_buttons.values():
                button.setEnabled(False)
                button.setToolTip(needs_text(Action.BATCH_ACTION, self.session.role, self.session.name))
        from hmi.ui.ticket import extend_detail_dialog

        extend_detail_dialog(dialog, batch, self.port)  # dosing curve and Ticket…
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal without a nested event loop
        self.detail_dialog = dialog

    async def _confirm_hand_add(self, dialog, mo_id: str, product_id: int, text: str, accept_target: bool) -> None:
        """Store one hand-added confirmation through the service layer (off the GUI thread), then show it."""
        service = self.port.actions.hand_add
        actor = self._actor()
        try:
            line = await service.confirm(mo_id, product_id, None if accept_target else text, actor,
                                         accept_target=accept_target)
            lines = await service.lines(mo_id)
        except HandAddRefused as exc:
            message, lines = localized(exc.args[0] if exc.args else exc), None
        except Exception as exc:  # noqa: BLE001 - tell the operator, keep the window
            log.error("Confirming a hand-added component of MO %s failed: %s", mo_id, exc)
            message, lines = translate("MainWindow", "could not be stored: {reason}").format(
                reason=plain_error(first_line(exc))), None
        else:
            message = translate("MainWindow", "{product}: {kg} kg confirmed by {actor}").format(
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
        self.refresh_requested.emit()

    def _on_detail_action(self, action: str, batch: Batch) -> None:
        dialog = self.detail_dialog
        if self.run_batch_action(action, batch) and dialog is not None:
            dialog.close()

    # ------------------------------------------------------------------ a row's actions

    def _show_row_menu(self, position: QPoint) -> None:
        """Right click, or a long press on a touch screen: the row's details and its actions."""
        index = self.view.indexAt(position)
        batch = self.model.batch_at(index.row()) if index.isValid() else None
        if batch is None:
            return
        self.view.selectRow(index.row())
        menu = self.batch_menu(batch)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.row_menu = menu
        menu.popup(self.view.viewport().mapToGlobal(position))

    def batch_menu(self, batch: Batch) -> QMenu:
        """Details and the actions that apply to the batch's state (the others disabled, saying why)."""
        menu = QMenu(self.view)
        menu.addAction(self.details_action)
        menu.addSeparator()
        for key in dialogs.BATCH_ACTION_TEXT:
            action = menu.addAction(dialogs.batch_action_text(key))
            permitted = self.session.can(Action.BATCH_ACTION)
            action.setEnabled(permitted and dialogs.batch_action_allowed(key, batch.state))
            action.setToolTip(dialogs.batch_action_tooltip(key, batch.state) if permitted
                              else needs_text(Action.BATCH_ACTION, self.session.role, self.session.name))
            action.triggered.connect(lambda _checked=False, k=key: self.run_batch_action(k, batch))
        menu.setToolTipsVisible(True)
        return menu

    def run_batch_action(self, action: str, batch: Batch) -> bool:
        """Ask (where the action cannot be undone), then run it through the service layer. True if started."""
        if not dialogs.batch_action_allowed(action, batch.state) or not self.allowed(Action.BATCH_ACTION):
            return False
        question = dialogs.batch_action_question(action, batch.mo_id)
        if question and not dialogs.ask_yes_no(self.window, dialogs.batch_action_title(batch.batch_no), question):
            log.info("%s of MO %s declined by %s", action, batch.mo_id, self._actor(), extra={"actor": self._actor()})
            return False
        admin = self.port.actions
        run = {"retry": admin.retry_push, "cancel": admin.cancel_in_odoo,
               "archive_failed": admin.archive_failed}[action]
        self._spawn(self._run_batch_action(run, batch, self._actor()))
        return True

    async def _run_batch_action(self, run, batch: Batch, actor: str) -> None:
        try:
            await run(batch.mo_id, actor)
        except ActionRefused as exc:
            self._show_status(localized(exc.text), STATUS_MESSAGE_MS)
        except Exception as exc:  # noqa: BLE001 - tell the operator, keep the window
            log.error("Action on MO %s failed: %s", batch.mo_id, exc)
            self._show_status(translate("MainWindow", "Action on MO {mo} failed: {reason}").format(
                mo=batch.mo_id, reason=plain_error(first_line(exc))), STATUS_MESSAGE_MS)
        else:
            self._show_status(translate("MainWindow", "MO {mo}: done").format(mo=batch.mo_id), STATUS_MESSAGE_MS)
        self.refresh_requested.emit()
        self.history_changed.emit()

    # ------------------------------------------------------------------ held MOs

    def show_held(self) -> None:
        if not self.allowed(Action.RELEASE_HELD):
            return
        admin = self.port.actions
        dialog = HeldListDialog(admin.held, lambda mo_ids, reason: admin.release(mo_ids, reason, self._actor()),
                                self._spawn, self.window, load_bookings=admin.dosed_bookings,
                                mark_booked=lambda ids: admin.mark_booked(ids, self._actor()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.refresh_requested.emit())
        dialog.open()
        dialog.reload()
        self.held_dialog = dialog

    # ------------------------------------------------------------------ Clear

    def clear_table(self) -> None:
        if (self.model.rowCount() == 0 or self.clear_running or self._sync_running()
                or self.session.role is None):
            return
        actor = self._actor()
        # What the operator is shown is what Clear acts on: if a sync or completion changes the table
        # meanwhile (during the question or the approval), nothing is cleared and they are told.
        shown = [b.mo_id for b in self.model.batches]
        staying = [b.mo_id for b in self.model.batches if b.status_manufacturing or b.status_operation]
        # The question is answered before any coroutine starts (qasync: no nested loop inside a task).
        choice = dialogs.ask_clear_choice(self.window, shown, staying)
        if choice is None:
            log.info("Clear of the batch table declined by %s", actor, extra={"actor": actor})
            self._show_status(translate("MainWindow", "Clear cancelled: the table was not changed"),
                              STATUS_MESSAGE_MS)
            return
        plc_was_reset = choice == dialogs.CLEAR_AND_RELEASE
        if self.session.can(Action.CLEAR_TABLE):
            self._start_clear(actor, plc_was_reset, shown)
        else:
            self._ask_approval(Action.CLEAR_TABLE, QT_TRANSLATE_NOOP("MainWindow", "Clear of the batch table"),
                               lambda approver: self._start_clear(f"{actor}+{approver.name}", plc_was_reset, shown))

    def _start_clear(self, actor: str, plc_was_reset: bool, shown: list[str]) -> None:
        if self.clear_running or self._sync_running():
            return
        self.clear_running = True
        self.clear_changed.emit()
        self._show_status(translate("MainWindow", "Clearing the table…"))
        self._spawn_work(self._run_clear(actor, plc_was_reset=plc_was_reset, shown=shown))

    def _ask_approval(self, action: str, what: str, approved: Callable) -> None:
        """Two-person override: someone with the needed role approves with their PIN (logged with both names)."""
        needed = required_role(action)
        on_behalf_of = self._actor()

        async def open_dialog() -> None:
            names = [op.name for op in await self.session.service.list() if op.active and op.role >= needed]
            dialog = SignInDialog(
                names, lambda name, pin: self.session.service.confirm(name, pin, needed, on_behalf_of, what),
                self._spawn, self.window, title=translate("MainWindow", "Approval needed"),
                ok_text=translate("MainWindow", "Approve"),
                prompt=translate("MainWindow", "{what} needs a {role}. A {role} chooses their name and enters "
                                               "their PIN to approve it.").format(
                    what=translate("MainWindow", what), role=role_name(needed)))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: approved(dialog.result_value))
            dialog.rejected.connect(lambda: log.info("%s: approval cancelled by %s", what, on_behalf_of,
                                                     extra={"actor": on_behalf_of}))
            dialog.open()
            self.approval_dialog = dialog

        self._spawn(open_dialog())

    async def _run_clear(self, actor: str, plc_was_reset: bool = False, shown: list[str] | None = None) -> None:
        try:
            result = await self.port.actions.clear(actor, plc_was_reset=plc_was_reset, mo_ids=shown)
        except Busy:
            self._show_status(translate("MainWindow", "Clear not started: a clear is already running"),
                              STATUS_MESSAGE_MS)
        except TableChanged:
            self._show_message(translate("MainWindow", "Clear not done: the batch table changed while you were "
                                                       "asked; nothing was cleared. Look at the table and clear "
                                                       "again"))
        except Exception as exc:  # noqa: BLE001 - tell the operator, keep the window
            log.error("Clearing the batch table failed: %s", exc)
            self._show_status(translate("MainWindow", "Clear failed: {error}").format(
                error=plain_error(first_line(exc))), STATUS_MESSAGE_MS)
        else:
            held = translate("MainWindow", "; {mos} held until released").format(
                mos=count(len(result.held), translate("MainWindow", "MO"), translate("MainWindow", "MOs"))) \
                if result.held else ""
            if result.kept:
                held += translate("MainWindow", "; {batches} stay until reported to Odoo").format(
                    batches=count(len(result.kept), translate("MainWindow", "batch"),
                                  translate("MainWindow", "batches")))
            self._show_message(translate("MainWindow", "Cleared by {actor}: {batches} moved to the history").format(
                actor=actor, batches=count(result.count, translate("MainWindow", "batch"),
                                           translate("MainWindow", "batches"))) + held)
        finally:
            self.clear_running = False
            self.clear_changed.emit()
            self.refresh_requested.emit()
            self.history_changed.emit()
