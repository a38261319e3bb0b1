"""The Held list: MOs that reached the PLC and left the table unfinished, and their release; below it
the manual-booking list: what the PLC dosed for failed, cancelled or cleared batches, which Odoo books
none of, until a supervisor books it in Odoo and marks it booked here.

A held MO is not fetched from Odoo again until someone who checked the PLC releases it with
a reason; the release goes through the service layer (AdminService.release) and is logged
with the actor. The dialog opens without blocking and loads the list off the GUI thread.
"""

from __future__ import annotations

from typing import Awaitable, Callable, Coroutine, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi.services.admin import ActionRefused
from hmi.records import DosedBooking, HeldMo
from hmi.ui.dialogs import close_button
from hmi.ui.formatting import format_kg, format_local_time
from hmi.ui.i18n import localized

INTRO = QT_TRANSLATE_NOOP("HeldListDialog",
                          "These MOs reached the PLC and left the batch table without being completed (cleared, or "
                          "archived as failed). The PLC may have dosed them, so they are not fetched from Odoo "
                          "again.\nCheck the PLC, then select the MOs it did not dose, say what you checked, and "
                          "release them: the next sync may download them again.")
TIP_SELECT = QT_TRANSLATE_NOOP("HeldListDialog", "Select the MOs to release")
TIP_REASON = QT_TRANSLATE_NOOP("HeldListDialog", "Say what you checked on the PLC (the reason is logged with your name)")
TIP_RELEASE = QT_TRANSLATE_NOOP("HeldListDialog", "The sync may fetch and download the selected MOs again")
NONE_HELD = QT_TRANSLATE_NOOP("HeldListDialog", "No MO is held.")
BOOKINGS_INTRO = QT_TRANSLATE_NOOP("HeldListDialog",
                                   "Dosed, not booked in Odoo: what the PLC dosed for batches that failed, were "
                                   "cancelled or cleared. Odoo's raw-material stock does not know it. Book it in Odoo "
                                   "(scrap or an inventory adjustment), then mark it booked here.")


def _t(text: str) -> str:
    return QCoreApplication.translate("HeldListDialog", text)


class HeldListDialog(QDialog):
    def __init__(
        self,
        load: Callable[[], Awaitable[list[HeldMo]]],
        release: Callable[[list[str], str], Awaitable[list[str]]],
        spawn: Callable[[Coroutine], object],
        parent: QWidget | None = None,
        load_bookings: Callable[[], Awaitable[list[DosedBooking]]] | None = None,
        mark_booked: Callable[[list[int]], Awaitable[list[int]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._release = release
        self._spawn = spawn
        self._load_bookings = load_bookings
        self._mark_booked = mark_booked
        self.held: list[HeldMo] = []
        self.bookings: list[DosedBooking] = []

        self.intro = intro = QLabel(self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_button)

        self.reason = QLineEdit(self)
        self.reason.textChanged.connect(self._update_button)
        self.release_button = QPushButton(self)
        self.release_button.clicked.connect(self.release_selected)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        release_row = QHBoxLayout()
        self.reason_label = QLabel(self)
        self.reason_label.setBuddy(self.reason)
        release_row.addWidget(self.reason_label)
        release_row.addWidget(self.reason, 1)
        release_row.addWidget(self.release_button)
        self.buttons = buttons = QDialogButtonBox(self)
        self.close_button = close_button(buttons)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(release_row)
        self.bookings_intro = QLabel(self)
        self.bookings_intro.setWordWrap(True)
        self.bookings_table = QTableWidget(0, 7, self)
        self.bookings_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bookings_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.bookings_table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.bookings_table.verticalHeader().setVisible(False)
        self.bookings_table.itemSelectionChanged.connect(self._update_button)
        self.booked_button = QPushButton(self)
        self.booked_button.clicked.connect(self.mark_selected_booked)
        if self._load_bookings is not None:
            layout.addWidget(self.bookings_intro)
            layout.addWidget(self.bookings_table, 1)
            layout.addWidget(self.booked_button)
        else:
            for widget in (self.bookings_intro, self.bookings_table, self.booked_button):
                widget.hide()
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(900, 480)
        #: What the status line says, kept as a function so it follows a change of language.
        self._status_text: Callable[[], str] = lambda: ""
        self.retranslate()
        self._built = True

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Held MOs"))
        self.intro.setText(_t(INTRO))
        self.table.setHorizontalHeaderLabels([self.tr("MO"), self.tr("Line"), self.tr("Held since"),
                                              self.tr("Held by"), self.tr("Why")])
        self.reason.setPlaceholderText(self.tr("What you checked, e.g. \"PLC slot empty, batch not started\""))
        self.reason_label.setText(self.tr("&Reason:"))
        self.release_button.setText(self.tr("Release selected"))
        self.bookings_intro.setText(_t(BOOKINGS_INTRO))
        self.bookings_table.setHorizontalHeaderLabels([self.tr("MO"), self.tr("Outcome"), self.tr("Silo"),
                                                       self.tr("Component"), self.tr("Dosed (kg)"),
                                                       self.tr("Recorded"), self.tr("Note")])
        self.booked_button.setText(self.tr("Mark selected booked in Odoo"))
        self.close_button.setText(QCoreApplication.translate("Dialogs", "Close"))
        self.status.setText(self._status_text())
        self._update_button()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange and getattr(self, "_built", False):
            self.retranslate()
        super().changeEvent(event)

    def _say(self, text: Callable[[], str]) -> None:
        """The status line; ``text`` is asked again when the language changes."""
        self._status_text = text
        self.status.setText(text())

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        self._spawn(self._reload())

    async def _reload(self) -> None:
        try:
            held = await self._load()
        except Exception as exc:  # noqa: BLE001 - shown in the dialog; the window keeps running
            self._say(lambda e=exc: self.tr("The Held list could not be read: {error}").format(error=e))
            return
        self.show_held(held)
        if self._load_bookings is not None:
            try:
                bookings = await self._load_bookings()
            except Exception as exc:  # noqa: BLE001 - shown in the dialog
                self._say(lambda e=exc: self.tr("The booking list could not be read: {error}").format(error=e))
                return
            self.show_bookings(bookings)

    def show_bookings(self, bookings: Sequence[DosedBooking]) -> None:
        self.bookings = list(bookings)
        self.bookings_table.setRowCount(len(self.bookings))
        for row, item in enumerate(self.bookings):
            values = [item.mo_id, item.outcome, item.component, item.component_name or "—", format_kg(item.kg),
                      format_local_time(item.recorded_at), item.note or ""]
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.bookings_table.setItem(row, column, cell)
        self.bookings_table.resizeColumnsToContents()
        self.bookings_table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self._update_button()

    def selected_booking_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.bookings_table.selectionModel().selectedRows()})
        return [self.bookings[row].id for row in rows if row < len(self.bookings)]

    def mark_selected_booked(self) -> None:
        ids = self.selected_booking_ids()
        if not ids or self._mark_booked is None:
            return
        self.booked_button.setEnabled(False)
        self._spawn(self._run_mark_booked(ids))

    async def _run_mark_booked(self, ids: list[int]) -> None:
        try:
            marked = await self._mark_booked(ids)
        except ActionRefused as exc:
            self._say(lambda e=exc: self.tr("Not marked booked: {reason}").format(reason=localized(e.text)))
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self._say(lambda e=exc: self.tr("Marking booked failed: {error}").format(error=e))
        else:
            count = len(marked)
            self._say(lambda: self.tr("{count} dosed amount(s) marked booked in Odoo.").format(count=count))
        self.bookings_table.clearSelection()
        await self._reload()

    def show_held(self, held: Sequence[HeldMo]) -> None:
        self.held = list(held)
        self.table.setRowCount(len(self.held))
        for row, item in enumerate(self.held):
            values = [item.mo_id, item.equipment_code, format_local_time(item.held_at), item.held_by or "—",
                      item.reason]
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        if not self.held:
            self._say(lambda: _t(NONE_HELD))
        self._update_button()

    def selected_mo_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.held[row].mo_id for row in rows if row < len(self.held)]

    # ------------------------------------------------------------------ release

    def _update_button(self) -> None:
        if getattr(self, "booked_button", None) is not None:
            self.booked_button.setEnabled(bool(self.selected_booking_ids()))
        if not self.selected_mo_ids():
            self.release_button.setEnabled(False)
            self.release_button.setToolTip(_t(TIP_SELECT))
        elif not self.reason.text().strip():
            self.release_button.setEnabled(False)
            self.release_button.setToolTip(_t(TIP_REASON))
        else:
            self.release_button.setEnabled(True)
            self.release_button.setToolTip(_t(TIP_RELEASE))

    def release_selected(self) -> None:
        mo_ids = self.selected_mo_ids()
        reason = self.reason.text().strip()
        if not mo_ids or not reason:
            return
        self.release_button.setEnabled(False)
        self._spawn(self._run_release(mo_ids, reason))

    async def _run_release(self, mo_ids: list[str], reason: str) -> None:
        try:
            released = await self._release(mo_ids, reason)
        except ActionRefused as exc:  # the service's reason, in the window's language
            self._say(lambda e=exc: self.tr("Not released: {reason}").format(reason=localized(e.text)))
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self._say(lambda e=exc: self.tr("Release failed: {error}").format(error=e))
        else:
            mos = ", ".join(released)
            self._say(lambda: self.tr("Released: {mos}. The next sync may download them again.").format(mos=mos))
            self.reason.clear()
        await self._reload()
        self.table.clearSelection()
        self._update_button()


__all__ = ["HeldListDialog"]
