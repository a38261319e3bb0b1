"""Per-silo progress in one table cell: for each used silo/tank a letter and a bar
(actual against target). Normal dosing is drawn in greys; only an over-dose (more than
OVERDOSE_TOLERANCE above target) gets colour, together with a '+' mark, never colour alone.
While the PLC is STALE/OFFLINE the bars are hatched and the captions carry a '?': the
values are the last ones read, not current ones (ISA-101 bad quality)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from hmi.domain import Batch, Silo
from hmi.ui.batch_model import BATCH_ROLE, CURRENT_ROLE
from hmi.ui.shapes import FAULT_FILL

CELL_WIDTH = 26
BAR_HEIGHT = 7
#: Touch density: bars readable from a metre away.
TOUCH_CELL_WIDTH = 34
TOUCH_BAR_HEIGHT = 14
OVERDOSE_TOLERANCE = 0.05

BAR_OUTLINE = QColor("#505050")
BAR_FILL = QColor("#5a5a5a")
BAR_EMPTY = QColor("#e4e4e4")


def silo_caption(silo: Silo) -> str:
    """A..M for silos; the tanks by their number (114 TETES, 115 FML)."""
    return silo.label if not silo.is_liquid else str(silo.value)


class SiloProgressDelegate(QStyledItemDelegate):
    def __init__(self, parent=None, cell_width: int = CELL_WIDTH, bar_height: int = BAR_HEIGHT) -> None:
        super().__init__(parent)
        self.cell_width = cell_width
        self.bar_height = bar_height

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        batch = index.data(BATCH_ROLE)
        if not isinstance(batch, Batch):
            super().paint(painter, option, index)
            return
        # Background and selection as the style draws them, without the accessibility text.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        ink = option.palette.highlightedText().color() if selected else option.palette.text().color()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        caption_font = QFont(option.font)
        large = self.bar_height > BAR_HEIGHT  # touch density: full-size bold captions
        caption_font.setPointSizeF(max(6.0, option.font.pointSizeF() * (1.0 if large else 0.8)))
        caption_font.setBold(large)
        current = index.data(CURRENT_ROLE) is not False
        cell, bar_height = self.cell_width, self.bar_height
        painter.setFont(caption_font)
        rect = option.rect
        caption_height = painter.fontMetrics().height()
        top = rect.top() + max(1, (rect.height() - caption_height - bar_height - 2) // 2)
        x = rect.left() + 4
        for line in batch.dosing_lines:
            if x + cell > rect.right():
                painter.setPen(ink)
                painter.drawText(QRectF(x, top, cell, caption_height), Qt.AlignmentFlag.AlignLeft, "…")
                break
            target = line.target_kg or 0.0
            actual = line.actual_kg or 0.0
            ratio = actual / target if target else 0.0
            overdosed = ratio > 1.0 + OVERDOSE_TOLERANCE
            caption = silo_caption(line.silo) + ("+" if overdosed else "") + ("" if current else "?")
            painter.setPen(ink)
            painter.drawText(QRectF(x, top, cell - 4, caption_height), Qt.AlignmentFlag.AlignHCenter, caption)
            bar = QRectF(x + 1, top + caption_height + 1, cell - 6, bar_height)
            painter.fillRect(bar, BAR_EMPTY)
            filled = QRectF(bar.left(), bar.top(), bar.width() * min(1.0, max(0.0, ratio)), bar.height())
            fill = FAULT_FILL if overdosed else BAR_FILL
            painter.fillRect(filled, QBrush(fill, Qt.BrushStyle.SolidPattern if current
                                            else Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(BAR_OUTLINE, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(bar)
            x += cell
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        batch = index.data(BATCH_ROLE)
        used = len(batch.dosing_lines) if isinstance(batch, Batch) else 4
        base = super().sizeHint(option, index)
        return QSize(8 + self.cell_width * max(4, used),
                     max(base.height(), option.fontMetrics.height() + self.bar_height + 8))
