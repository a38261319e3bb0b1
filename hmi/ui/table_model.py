"""The read-only table model's plumbing, written once: row and column counts, the horizontal
header's text (and tooltip) and the flags of a cell that can be selected but not edited.

A model says how many rows and columns it has and what each column is called; ``data`` stays its own.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt


class ReadOnlyTableModel(QAbstractTableModel):
    """A flat, read-only table: override ``_row_count``, ``_column_count`` and ``_header_text``."""

    def _row_count(self) -> int:
        raise NotImplementedError

    def _column_count(self) -> int:
        raise NotImplementedError

    def _header_text(self, section: int) -> str:
        """The title of column ``section`` in the window's language."""
        raise NotImplementedError

    def _header_tooltip(self, section: int) -> str | None:
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else self._column_count()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self._column_count():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_text(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tooltip(section)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
