"""UI density: ``touch`` (the default, for a panel PC operated with fingers or gloves) or
``desktop`` (mouse and keyboard, more rows on screen).

Touch makes every row, button, tab header and menu entry at least 40 px high and draws the
silo bars large enough to read from a metre away. The sizes are a stylesheet on the main
window, so dialogs opened from it (settings, details, questions) get them too.
"""

from __future__ import annotations

import enum

#: Smallest height of anything an operator taps in touch density (px, device independent).
TOUCH_TARGET_PX = 40


class Density(enum.Enum):
    TOUCH = "touch"
    DESKTOP = "desktop"

    @property
    def min_target_px(self) -> int:
        return TOUCH_TARGET_PX if self is Density.TOUCH else 0


_TOUCH_QSS = f"""
QToolBar#mainToolbar QToolButton {{ min-height: {TOUCH_TARGET_PX}px; padding: 4px 16px; font-size: 11pt; }}
QTabBar::tab {{ min-height: {TOUCH_TARGET_PX - 8}px; padding: 4px 22px; font-size: 11pt; }}
QHeaderView::section {{ min-height: {TOUCH_TARGET_PX - 6}px; padding: 3px 6px; }}
QPushButton {{ min-height: {TOUCH_TARGET_PX - 6}px; padding: 3px 16px; }}
QComboBox, QLineEdit {{ min-height: {TOUCH_TARGET_PX - 6}px; padding: 0 8px; }}
QGroupBox#handAddChecklist QLineEdit {{ min-height: {TOUCH_TARGET_PX - 2}px; }}
QComboBox QAbstractItemView::item {{ min-height: {TOUCH_TARGET_PX}px; }}
QMenuBar::item {{ padding: 10px 14px; }}
QMenu::item {{ padding: 12px 28px 12px 20px; }}
QScrollBar:vertical {{ width: 22px; }}
QScrollBar:horizontal {{ height: 22px; }}
QDialogButtonBox QPushButton {{ min-width: 96px; }}
QPushButton#idleSyncButton {{ min-height: {TOUCH_TARGET_PX + 8}px; padding: 4px 28px; font-size: 12pt; }}
"""


def density_style_sheet(density: Density) -> str:
    return _TOUCH_QSS if density is Density.TOUCH else ""
