"""Status shapes drawn with QPainter, so a state never relies on colour alone (ISA-101).

Each severity/state has its own outline: normal states are dark grey, abnormal ones
(fault, alert, failed, attention) add colour on top of a distinct shape.
"""

from __future__ import annotations

import enum
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

NORMAL_INK = QColor("#303030")
MUTED_INK = QColor("#7a7a7a")
WARNING_FILL = QColor("#e8a317")   # amber: stale, attention
FAULT_FILL = QColor("#c62828")     # red: fault, failed, alert


class Shape(enum.Enum):
    DOT = "dot"                # normal / OK: filled dark circle
    RING = "ring"              # waiting / unknown: hollow circle
    PLAY = "play"              # running: triangle pointing right
    LOCK = "lock"              # done, protected: padlock
    CHECK = "check"            # reported
    CROSS = "cross"            # fault / failed: red square with a white X
    WARNING = "warning"        # stale / attention / alert: amber triangle with "!"
    DASH = "dash"              # disabled: a grey bar
    NOT_CURRENT = "not-current"  # bad quality (ISA-101): dashed box with "?", value may be out of date


def _paint(shape: Shape, painter: QPainter, size: float) -> None:
    s = size
    pen = QPen(NORMAL_INK, max(1.0, s / 10))
    painter.setPen(pen)
    if shape is Shape.DOT:
        painter.setBrush(NORMAL_INK)
        painter.drawEllipse(QRectF(s * 0.2, s * 0.2, s * 0.6, s * 0.6))
    elif shape is Shape.RING:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(s * 0.2, s * 0.2, s * 0.6, s * 0.6))
    elif shape is Shape.PLAY:
        painter.setBrush(NORMAL_INK)
        painter.drawPolygon(QPolygonF([QPointF(s * 0.25, s * 0.15), QPointF(s * 0.85, s * 0.5),
                                       QPointF(s * 0.25, s * 0.85)]))
    elif shape is Shape.LOCK:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(s * 0.3, s * 0.1, s * 0.4, s * 0.5), 0, 180 * 16)
        painter.drawLine(QPointF(s * 0.3, s * 0.35), QPointF(s * 0.3, s * 0.45))
        painter.drawLine(QPointF(s * 0.7, s * 0.35), QPointF(s * 0.7, s * 0.45))
        painter.setBrush(NORMAL_INK)
        painter.drawRect(QRectF(s * 0.2, s * 0.45, s * 0.6, s * 0.45))
    elif shape is Shape.CHECK:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(NORMAL_INK, max(1.5, s / 7)))
        path = QPainterPath(QPointF(s * 0.15, s * 0.55))
        path.lineTo(s * 0.4, s * 0.8)
        path.lineTo(s * 0.85, s * 0.2)
        painter.drawPath(path)
    elif shape is Shape.CROSS:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FAULT_FILL)
        painter.drawRect(QRectF(s * 0.1, s * 0.1, s * 0.8, s * 0.8))
        painter.setPen(QPen(QColor("white"), max(1.5, s / 7)))
        painter.drawLine(QPointF(s * 0.3, s * 0.3), QPointF(s * 0.7, s * 0.7))
        painter.drawLine(QPointF(s * 0.7, s * 0.3), QPointF(s * 0.3, s * 0.7))
    elif shape is Shape.WARNING:
        painter.setPen(QPen(NORMAL_INK, max(1.0, s / 14)))
        painter.setBrush(WARNING_FILL)
        painter.drawPolygon(QPolygonF([QPointF(s * 0.5, s * 0.08), QPointF(s * 0.95, s * 0.9),
                                       QPointF(s * 0.05, s * 0.9)]))
        painter.setPen(QPen(NORMAL_INK, max(1.5, s / 9)))
        painter.drawLine(QPointF(s * 0.5, s * 0.35), QPointF(s * 0.5, s * 0.62))
        painter.drawPoint(QPointF(s * 0.5, s * 0.76))
    elif shape is Shape.NOT_CURRENT:
        pen = QPen(NORMAL_INK, max(1.2, s / 10))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor("#f5f5f5"))
        painter.drawRect(QRectF(s * 0.1, s * 0.1, s * 0.8, s * 0.8))
        font = painter.font()
        font.setPixelSize(max(6, round(s * 0.65)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(NORMAL_INK)
        painter.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, "?")
    elif shape is Shape.DASH:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MUTED_INK)
        painter.drawRect(QRectF(s * 0.15, s * 0.42, s * 0.7, s * 0.16))


def shape_pixmap(shape: Shape, size: int = 16, device_pixel_ratio: float = 2.0) -> QPixmap:
    """A crisp pixmap of ``shape`` (drawn at the device pixel ratio for high-DPI screens)."""
    pixmap = QPixmap(round(size * device_pixel_ratio), round(size * device_pixel_ratio))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint(shape, painter, float(size))
    painter.end()
    return pixmap


@lru_cache(maxsize=None)
def shape_icon(shape: Shape) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32):
        icon.addPixmap(shape_pixmap(shape, size))
    return icon
