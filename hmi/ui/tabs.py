"""A tab that names itself: its title follows the window's language without the window knowing it."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget


def set_own_tab_title(page: QWidget, title: str) -> None:
    """Set ``page``'s title in the QTabWidget that holds it (nothing when it is not in one)."""
    parent = page.parentWidget()
    while parent is not None and not isinstance(parent, QTabWidget):
        parent = parent.parentWidget()
    if parent is not None and parent.indexOf(page) >= 0:
        parent.setTabText(parent.indexOf(page), title)
