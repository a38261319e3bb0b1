"""The ISA-101 look: Fusion style, a grey palette and resources/theme.qss.

Sizes in the stylesheet are in points or em-like paddings, never fixed pixel fonts, so
high-DPI scaling keeps text readable.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger("hmi.ui")

THEME_FILE = "theme.qss"


def resources_dir() -> Path:
    """resources/ beside the package (source tree) or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def grey_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#d4d4d4",
        QPalette.ColorRole.WindowText: "#1e1e1e",
        QPalette.ColorRole.Base: "#ececec",
        QPalette.ColorRole.AlternateBase: "#e2e2e2",
        QPalette.ColorRole.Text: "#1e1e1e",
        QPalette.ColorRole.Button: "#dcdcdc",
        QPalette.ColorRole.ButtonText: "#1e1e1e",
        QPalette.ColorRole.Highlight: "#596775",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#f5f5f5",
        QPalette.ColorRole.ToolTipText: "#1e1e1e",
        QPalette.ColorRole.PlaceholderText: "#6e6e6e",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))
    return palette


def apply_theme(app: QApplication, qss_path: Path | None = None) -> bool:
    """Fusion + grey palette + stylesheet. Returns False (and keeps Fusion grey) if the .qss is missing."""
    app.setStyle("Fusion")
    app.setPalette(grey_palette())
    path = qss_path or resources_dir() / THEME_FILE
    try:
        app.setStyleSheet(path.read_text(encoding="utf-8"))
    except OSError as exc:
        log.warning("Theme %s not loaded (%s); using the plain grey palette", path, exc)
        return False
    return True
