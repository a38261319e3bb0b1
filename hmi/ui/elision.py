"""Find text that does not fit its space: a label, button, tab or column header whose text
is wider than the room it has (Qt would elide or clip it).

Used by the screenshot tool and the screenshot tests at 1366x768 and 1920x1080: an operator
must never have to guess the end of a word.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStatusBar,
    QStyle,
    QTableView,
    QTabBar,
    QToolButton,
    QWidget,
)

#: Room a button or header needs besides its text (frame, padding, sort indicator).
BUTTON_MARGIN = 8
HEADER_MARGIN = 8


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def find_elided_text(root: QWidget) -> list[str]:
    """One line per piece of text that does not fit, naming the widget and the text."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _visible(widget):
            continue
        if isinstance(widget, QLabel):
            problems += _label(widget)
        elif isinstance(widget, QToolButton) or isinstance(widget, QAbstractButton):
            problems += _button(widget)
        elif isinstance(widget, QTabBar):
            problems += _tabs(widget)
        elif isinstance(widget, QHeaderView):
            problems += _header(widget)
        elif isinstance(widget, QLineEdit):
            problems += _line_edit(widget)
        elif isinstance(widget, QComboBox):
            problems += _combo(widget)
        elif isinstance(widget, QStatusBar):
            problems += _status_message(widget)
        if isinstance(widget, QTableView):
            problems += _cells(widget)
    return problems




def _cells(view: QTableView) -> list[str]:
    """Cells of a table: text plus icon against the column width, and, where the table wraps
    words, the wrapped text's height against the row's.

    A stretched column (the product) is judged too; a column drawn by its own delegate (the
    silo bars) is not text and is skipped; a cell whose tooltip carries its whole text (a long
    alarm message) may be cut.
    """
    model = view.model()
    if model is None:
        return []
    problems = []
    metrics = view.fontMetrics()
    # What Qt's item view leaves beside the text: the focus-frame margin plus one, on both sides.
    margin = (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) * 2
    first = max(0, view.rowAt(0))
    last = view.rowAt(view.viewport().height() - 1)
    last = model.rowCount(QModelIndex()) - 1 if last < 0 else last
    for column in range(model.columnCount(QModelIndex())):
        if view.isColumnHidden(column) or view.itemDelegateForColumn(column) is not None:
            continue
        width = view.columnWidth(column)
        for row in range(first, last + 1):
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not text:
                continue
            font = index.data(Qt.ItemDataRole.FontRole)
            cell_metrics = metrics if font is None else type(metrics)(font)
            icon = view.iconSize().width() + 4 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
            room = width - margin - icon
            if view.wordWrap():
                box = cell_metrics.boundingRect(QRect(0, 0, max(1, room), 100_000),
                                                int(Qt.TextFlag.TextWordWrap), str(text))
                fits = box.width() <= room and box.height() <= view.rowHeight(row)
                needed = box.width() + margin + icon
            else:
                needed = max(cell_metrics.horizontalAdvance(line) for line in str(text).splitlines()) + margin + icon
                fits = needed <= width
            if not fits and str(text) in str(index.data(Qt.ItemDataRole.ToolTipRole) or ""):
                continue  # cut on purpose: the whole text is the cell's tooltip (a long alarm message)
            if not fits:
                header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                problems.append(f"cell {_name(view)} row {row} {header!r} {str(text)!r}: needs {needed} px, "
                                f"has {width} px")
                break  # one line per column is enough to act on
    return problems


def _status_message(bar: QStatusBar) -> list[str]:
    """A temporary message shares the bar with the permanent badges on its right."""
    text = bar.currentMessage()
    if not text:
        return []
    badges = [child for child in bar.findChildren(QWidget) if child.parent() is bar and child.isVisible()
              and child.x() > 0]
    left_of_badges = min((child.x() for child in badges), default=bar.width())
    room = left_of_badges - 8
    needed = bar.fontMetrics().horizontalAdvance(text)
    if needed > room:
        return [f"status bar message {text!r}: needs {needed} px, has {room} px"]
    return []


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


def _label(label: QLabel) -> list[str]:
    text = _plain(label.text()) if label.buddy() is not None else label.text()
    if not text or label.wordWrap() or label.textFormat() == Qt.TextFormat.RichText or "<" in text:
        return []
    room = label.contentsRect().width() - 2 * label.margin() - label.indent() if label.indent() > 0 \
        else label.contentsRect().width() - 2 * label.margin()
    widest = max(label.fontMetrics().horizontalAdvance(line) for line in text.splitlines())
    if widest > room:
        return [f"label {_name(label)} {text!r}: text {widest} px, room {room} px"]
    return []


def _button(button: QAbstractButton) -> list[str]:
    text = _plain(button.text())
    if not text:
        return []
    if isinstance(button, QToolButton) and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly:
        return []
    needed = button.fontMetrics().horizontalAdvance(text) + BUTTON_MARGIN
    if not button.icon().isNull() and not (isinstance(button, QToolButton)
                                           and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly):
        needed += button.iconSize().width()
    if needed > button.width():
        return [f"button {_name(button)} {text!r}: needs {needed} px, has {button.width()} px"]
    return []


def _tabs(bar: QTabBar) -> list[str]:
    problems = []
    for index in range(bar.count()):
        text = _plain(bar.tabText(index))
        needed = bar.fontMetrics().horizontalAdvance(text) + BUTTON_MARGIN
        if needed > bar.tabRect(index).width():
            problems.append(f"tab {text!r}: needs {needed} px, has {bar.tabRect(index).width()} px")
    return problems


def _header(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    view = header.parent()
    problems = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        needed = header.fontMetrics().horizontalAdvance(str(text)) + HEADER_MARGIN
        # A stretched last section or a scrolled-away one is judged by its size, not its position.
        if needed > header.sectionSize(section):
            where = _name(view) if isinstance(view, QAbstractItemView) else _name(header)
            problems.append(f"header {where} {text!r}: needs {needed} px, has {header.sectionSize(section)} px")
    return problems


def _line_edit(edit: QLineEdit) -> list[str]:
    hint = edit.placeholderText()
    if not hint or edit.text():
        return []
    room = edit.width() - 16 - (24 if edit.isClearButtonEnabled() else 0)
    needed = edit.fontMetrics().horizontalAdvance(hint)
    if needed > room:
        return [f"hint of {_name(edit)} {hint!r}: needs {needed} px, has {room} px"]
    return []


def _combo(combo: QComboBox) -> list[str]:
    text = combo.currentText()
    if not text:
        return []
    room = combo.width() - 32  # the arrow and the frame
    needed = combo.fontMetrics().horizontalAdvance(text)
    if needed > room:
        return [f"combo {_name(combo)} {text!r}: needs {needed} px, has {room} px"]
    return []
