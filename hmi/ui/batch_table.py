"""The batch table's view: columns sized for their contents, silo bars, touch-sized rows, and the
idle panel that stands in for an empty table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from hmi.ui.batch_model import BatchTableModel, Column
from hmi.ui.density import Density
from hmi.ui.silo_delegate import CELL_WIDTH, TOUCH_BAR_HEIGHT, TOUCH_CELL_WIDTH, SiloProgressDelegate


def build_batch_view(parent: QWidget, model: BatchTableModel, density: Density) -> QTableView:
    view = QTableView(parent)
    view.setObjectName("batchTable")
    view.setModel(model)
    touch = density is Density.TOUCH
    cell_width = TOUCH_CELL_WIDTH if touch else CELL_WIDTH
    delegate = SiloProgressDelegate(view, cell_width=cell_width,
                                    bar_height=TOUCH_BAR_HEIGHT) if touch else SiloProgressDelegate(view)
    view.setItemDelegateForColumn(Column.SILOS, delegate)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    row_height = parent.fontMetrics().height() * 2 + (16 if touch else 4)
    view.verticalHeader().setMinimumSectionSize(1)
    view.verticalHeader().setDefaultSectionSize(max(row_height, density.min_target_px))
    view.setIconSize(view.iconSize().scaled(16, 16, Qt.AspectRatioMode.KeepAspectRatio))
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(Column.PRODUCT, QHeaderView.ResizeMode.Stretch)
    metrics = view.fontMetrics()
    samples = {Column.BATCH_NO: "Batch", Column.MO: "WH/MO/00000", Column.TARGET_KG: "+1,234.5 OPEN",
               Column.ACTUAL_KG: "Actual kg", Column.HAND_ADD: "By hand", Column.STATE: "DONE (locked)  ",
               Column.LAST_READING: "Last PLC reading"}
    # Each column as wide as its sample plus the state icon and the cell margins (28 px): with the
    # By hand and Deviation columns the product name still fits a 1366 px screen.
    for column, sample in samples.items():
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
    # Room for 11 silo bars; a recipe with more shows '…' and lists every silo in the tooltip.
    header.resizeSection(Column.SILOS, 11 * cell_width + 12)
    return view


def fit_headers(view: QTableView, model: BatchTableModel) -> None:
    """No header cut off: a column is at least as wide as its title in the window's language."""
    header = view.horizontalHeader()
    metrics = header.fontMetrics()
    for column in Column:
        if column in (Column.PRODUCT, Column.SILOS):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        needed = metrics.horizontalAdvance(title) + 28
        if header.sectionSize(column) < needed:
            header.resizeSection(column, needed)


class IdlePanel(QFrame):
    """Stands in for an empty table: what the line waits for, and Trigger sync."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idlePanel")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self)
        self.title.setObjectName("idleTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setObjectName("idleText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.sync_button = QPushButton(self)
        self.sync_button.setObjectName("idleSyncButton")
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
