"""Dosing curves and trends (pyqtgraph, imported only here in the window package).

- :class:`DosingCurve`: one batch's actual kg per silo over time from its dosing samples
  (batch_readings), each silo's target as a dashed line of the same colour, a legend by silo
  letter, a crosshair readout, pan/zoom with the mouse, Save as PNG. While the batch is on the
  PLC it fetches the newer samples every few seconds.
- :class:`TrendsTab`: kg consumed per silo per hour over a chosen range (default the last
  24 h) from the history.

Times on the axis are the plant's wall clock (PLANT_TIMEZONE): the x values are UTC seconds
shifted by the plant's offset at each instant, so a DST change shows as the clocks showed it.
Large ranges stay smooth: curves are clipped to the view and downsampled (peak method).
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.domain import ALL_SILOS
from hmi.clock import PlantClock, utc_now
from hmi.records import FINISHED_WEIGHT, Sample
from hmi.ui.formatting import plain_error

log = logging.getLogger("hmi.ui")

#: Fifteen distinguishable colours (Tableau 20 order), one per silo; dashes and the legend say which.
_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#843c39", "#7b4173"]
SILO_COLOURS = {silo.label: _PALETTE[i] for i, silo in enumerate(ALL_SILOS)}
LIVE_REFRESH_MS = 2000

_pg = None


def pyqtgraph():
    """pyqtgraph, imported on first use: importing it takes about a second, which the window's
    start must not wait for (the Trends tab and the dosing curves are opened later)."""
    global _pg
    if _pg is None:
        os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # the binding the window uses
        import pyqtgraph as pg

        pg.setConfigOptions(antialias=True, background="w", foreground="k")
        _pg = pg
    return _pg


#: The dosing curve never spans less than this (s): a batch seconds old reads in whole seconds.
MIN_SPAN_SECONDS = 30.0


def tick_labels(values, spacing: float) -> list[str]:
    """Tick labels of a plant-time axis (x = plant wall-clock seconds shown as UTC): the date for day
    ticks, HH:MM for minutes and hours, HH:MM:SS for seconds, tenths (and finer) below a second;
    finer than asked wherever two ticks would read the same."""
    values = list(values)
    # pyqtgraph's spacing is its level's unit (1 ms for any tick below a second); the ticks' own step says more.
    step = min((b - a for a, b in zip(values, values[1:]) if b > a), default=spacing)
    if step >= 86400 and spacing >= 86400:
        kinds = ["date", "minute", "second"]
    elif step >= 60:
        kinds = ["minute", "second"]
    else:
        kinds = ["second"]
    # Below a second, as many decimals as the step has (0.25 s: two), at most milliseconds.
    fine = next((d for d in (1, 2) if abs(step * 10 ** d - round(step * 10 ** d)) < 0.01), 3) if step < 1 else 1
    kinds += [f"decimals{d}" for d in range(fine, 4)]
    labels: list[str] = []
    for kind in kinds:
        labels = [_tick_label(value, kind) for value in values]
        if len(set(labels)) == len(labels):
            break
    return labels


def _tick_label(value: float, kind: str) -> str:
    try:
        when = datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return ""
    if kind == "date":
        return when.strftime("%Y-%m-%d")
    if kind == "minute":
        return when.strftime("%H:%M")
    if kind == "second":
        return when.strftime("%H:%M:%S")
    digits = int(kind[-1])
    fraction = f"{value % 1:.{digits}f}"
    if fraction.startswith("1"):  # 0.99.. rounds up: the next whole second
        return _tick_label(round(value), "second") + "." + "0" * digits
    return when.strftime("%H:%M:%S") + fraction[1:]


def _time_axis(pg):
    class PlantTimeAxis(pg.DateAxisItem):
        """Ticks as the plant's clock reads (the x values are already plant wall-clock seconds).

        Short labels, so pyqtgraph keeps the hour ticks on wide screens too; the day ticks carry the
        date; every tick of a level reads differently, for a span of seconds as for hours."""

        def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
            return tick_labels(values, spacing)

    return PlantTimeAxis(utcOffset=0)


def _tr(text: str) -> str:
    """The plot's words (one lupdate context, "TrendPlot", for the plot and both of its kinds)."""
    return QCoreApplication.translate("TrendPlot", text)


def plant_seconds(clock: PlantClock, value: datetime) -> float:
    """The x coordinate of an instant: its plant wall-clock time as seconds (shown by a UTC axis)."""
    local = clock.local(value)
    return local.timestamp() + (local.utcoffset() or timedelta()).total_seconds()


class _PlotWithCrosshair(QWidget):
    """A pyqtgraph plot with a time axis in plant time, a crosshair readout and Save as PNG."""

    def __init__(self, clock: PlantClock, y_label: str, parent: QWidget | None = None) -> None:
        """``y_label``: the left axis's source text (QT_TRANSLATE_NOOP("TrendPlot", ...))."""
        super().__init__(parent)
        pg = pyqtgraph()
        self.pg = pg
        self.clock = clock
        self.y_label = y_label
        self.plot = pg.PlotWidget(self, axisItems={"bottom": _time_axis(pg)})
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.legend = self.plot.addLegend(offset=(8, 4), labelTextSize="9pt", colCount=8)
        pen = pg.mkPen("#555555", width=1)
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=pen)
        for line in (self._vline, self._hline):
            line.setVisible(False)
            self.plot.addItem(line, ignoreBounds=True)
        self.readout = QLabel(self)
        self.readout.setObjectName("plotReadout")
        self._reading = False  # the readout shows a reading (numbers), not the hint
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.ask_save_png)
        self._mouse = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)
        bottom = QHBoxLayout()
        bottom.addWidget(self.readout, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bottom)
        self._save_tasks: set[asyncio.Task] = set()
        hint = QT_TRANSLATE_NOOP("TrendPlot", "Point at the plot for a reading")
        self._readout_text: tuple[str, dict] | None = (hint, {})
        _PlotWithCrosshair.retranslate(self)

    def retranslate(self) -> None:
        """Axis labels, the readout's hint and the button in the window's language."""
        self.plot.setLabel("left", _tr(self.y_label))
        self.plot.setLabel("bottom", QCoreApplication.translate("TrendPlot", "plant time ({zone})").format(
            zone=self.clock.zone_name))
        self.save_button.setText(QCoreApplication.translate("TrendPlot", "Save plot as PNG…"))
        if self._readout_text is not None:
            text, fields = self._readout_text
            self.readout.setText(_tr(text).format(**fields))

    def set_readout(self, text: str, fields: dict | None = None) -> None:
        """A fixed message in the readout (source text; shown again in the new language on a switch)."""
        self._readout_text = (text, fields or {})
        self.readout.setText(_tr(text).format(**(fields or {})))

    def axis_label(self, which: str) -> str:
        """The text of the ``left`` or ``bottom`` axis label as shown (for checks and tests)."""
        return self.plot.getPlotItem().getAxis(which).labelText

    def curve(self, name: str | None, colour: str, dashed: bool = False, width: float = 2.0):
        pen = QPen(QColor(colour))
        pen.setWidthF(width)
        pen.setCosmetic(True)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        item = self.plot.plot([], [], pen=pen, name=name)
        item.setClipToView(True)
        item.setDownsampling(auto=True, method="peak")
        return item

    def _mouse_moved(self, event) -> None:
        position: QPointF = event[0]
        view = self.plot.getPlotItem().vb
        if not self.plot.sceneBoundingRect().contains(position):
            return
        point = view.mapSceneToView(position)
        self._vline.setPos(point.x())
        self._hline.setPos(point.y())
        self._vline.setVisible(True)
        self._hline.setVisible(True)
        when = datetime.fromtimestamp(point.x(), timezone.utc) if 0 < point.x() < 4e9 else None
        stamp = when.strftime("%Y-%m-%d %H:%M:%S") if when else "—"
        self._readout_text = None
        self.readout.setText(f"{stamp} ({self.clock.zone_name}) · {point.y():,.1f} kg")

    def ask_save_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("TrendPlot", "Save the plot as PNG"),
                                              "plot.png", QCoreApplication.translate("TrendPlot", "PNG image (*.png)"))
        if path:
            task = asyncio.ensure_future(self.save_png(Path(path)))
            self._save_tasks.add(task)
            task.add_done_callback(self._save_tasks.discard)

    async def save_png(self, path: Path) -> bool:
        """The plot as the operator sees it; the file is written off the GUI thread."""
        image = self.plot.grab().toImage()
        saved = await asyncio.to_thread(image.save, str(path), "PNG")
        if not saved:
            log.error("Saving the plot to %s failed", path)
        return bool(saved)


class DosingCurve(_PlotWithCrosshair):
    """Actual kg per silo of one batch over time, targets dashed; live while the batch is on the PLC."""

    def __init__(self, clock: PlantClock, fetch, targets: dict[str, float], live: bool = False,
                 parent: QWidget | None = None) -> None:
        """``fetch(since)`` -> awaitable list of Samples newer than ``since`` (None = all)."""
        super().__init__(clock, QT_TRANSLATE_NOOP("TrendPlot", "kg"), parent)
        pg = self.pg
        self.setObjectName("dosingCurve")
        self.fetch = fetch
        self.targets = {silo: kg for silo, kg in targets.items() if kg}
        self.samples: list[Sample] = []
        self._points: dict[str, tuple[list[float], list[float]]] = {}
        self._curves: dict[str, object] = {}
        self._target_lines: dict[str, object] = {}
        self._tasks: set[asyncio.Task] = set()
        self._loading = False
        #: The x range is held at [first sample, + MIN_SPAN_SECONDS] while the batch is younger.
        self._held_start = False
        for silo, kg in self.targets.items():
            self._curves[silo] = self.curve(silo, SILO_COLOURS.get(silo, "#000000"))
            line = pg.InfiniteLine(pos=kg, angle=0, movable=False,
                                   pen=pg.mkPen(SILO_COLOURS.get(silo, "#000000"), width=1.5,
                                                style=Qt.PenStyle.DashLine))
            self.plot.addItem(line)
            self._target_lines[silo] = line
        # A batch seconds old: at least MIN_SPAN_SECONDS of plant time, ticks in whole seconds.
        self.plot.getPlotItem().vb.setLimits(minXRange=MIN_SPAN_SECONDS)
        if self.targets:  # room above the highest target for the legend
            self.plot.setYRange(0, max(self.targets.values()) * 1.3, padding=0)
            self.plot.getPlotItem().vb.enableAutoRange(axis="x")
        self.empty_label = pg.TextItem("", color="#444444", anchor=(0.5, 0.5))
        self.empty_label.setText(QCoreApplication.translate("TrendPlot", "No dosing samples recorded for this batch"))
        self.timer = QTimer(self)
        self.timer.setInterval(LIVE_REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        if live:
            self.timer.start()

    def retranslate(self) -> None:
        super().retranslate()
        self.empty_label.setText(QCoreApplication.translate("TrendPlot", "No dosing samples recorded for this batch"))

    def refresh(self) -> None:
        if self._loading:
            return
        task = asyncio.ensure_future(self.load())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def load(self) -> None:
        self._loading = True
        try:
            since = self.samples[-1].recorded_at if self.samples else None
            try:
                new = await self.fetch(since)
            except Exception as exc:  # noqa: BLE001 - a curve is a view; say it and keep going
                self.set_readout(QT_TRANSLATE_NOOP("TrendPlot", "Dosing samples unavailable: {error}"),
                                 {"error": plain_error(str(exc))})
                return
            self.add_samples(new)
        finally:
            self._loading = False

    def add_samples(self, samples: list[Sample]) -> None:
        for sample in samples:
            if sample.silo == FINISHED_WEIGHT:
                continue
            self.samples.append(sample)
            xs, ys = self._points.setdefault(sample.silo, ([], []))
            if not xs:  # the curve starts from zero at the batch's first recorded moment
                first = self.samples[0].recorded_at
                xs.append(plant_seconds(self.clock, first))
                ys.append(0.0)
            xs.append(plant_seconds(self.clock, sample.recorded_at))
            ys.append(sample.kg)
            if sample.silo not in self._curves:
                self._curves[sample.silo] = self.curve(sample.silo, SILO_COLOURS.get(sample.silo, "#000000"))
        for silo, (xs, ys) in self._points.items():
            self._curves[silo].setData(xs, ys)
        if self.samples:
            # A young batch starts at the left edge with its first MIN_SPAN_SECONDS ahead of it
            # (autorange would centre the short curve); later the whole batch fits as it grows.
            first = plant_seconds(self.clock, self.samples[0].recorded_at)
            last = plant_seconds(self.clock, self.samples[-1].recorded_at)
            view = self.plot.getPlotItem().vb
            if last - first < MIN_SPAN_SECONDS:
                view.setXRange(first, first + MIN_SPAN_SECONDS, padding=0)
                self._held_start = True
            elif self._held_start:  # once; after that a zoom of the operator's stays
                view.enableAutoRange(axis="x")
                self._held_start = False
        if not self.samples and self.empty_label.scene() is None:
            self.plot.addItem(self.empty_label)
        elif self.samples and self.empty_label.scene() is not None:
            self.plot.removeItem(self.empty_label)

    def stop(self) -> None:
        self.timer.stop()


class TrendsTab(QWidget):
    """Kg consumed per silo per hour (history) over the last 24 h, 7 days or 30 days."""

    RANGES = ((QT_TRANSLATE_NOOP("TrendsTab", "Last 24 hours"), timedelta(hours=24)),
              (QT_TRANSLATE_NOOP("TrendsTab", "Last 7 days"), timedelta(days=7)),
              (QT_TRANSLATE_NOOP("TrendsTab", "Last 30 days"), timedelta(days=30)))

    def __init__(self, reports, spawn, parent: QWidget | None = None, now=utc_now) -> None:
        super().__init__(parent)
        self.setObjectName("trendsTab")
        self.reports = reports
        self._spawn = spawn
        self._now = now
        self._generation = 0
        self.loaded_once = False
        self.hours: list[tuple[datetime, dict[str, float]]] = []
        self.range_combo = QComboBox(self)
        # as wide as its longest entry in the language shown (not only the first one's)
        self.range_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for _text, span in self.RANGES:
            self.range_combo.addItem("", span)
        self.range_combo.currentIndexChanged.connect(lambda *_: self.reload())
        range_label = self.range_label = QLabel(self)
        range_label.setBuddy(self.range_combo)
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.reload)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.chart: _PlotWithCrosshair | None = None  # built when the tab is first shown
        self._curves: dict[str, object] = {}
        controls = QHBoxLayout()
        for widget in (range_label, self.range_combo, self.refresh_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.title)
        self._layout = layout
        #: What the title says: a source text and its fields, or the range of the hours shown.
        self._title: tuple[str, dict] | None = (QT_TRANSLATE_NOOP("TrendsTab", "Opening the trend…"), {})
        self._shown: tuple[datetime, datetime, float] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """The tab's words in the window's language (the chart follows through its own retranslate)."""
        for index, (text, _span) in enumerate(self.RANGES):
            self.range_combo.setItemText(index, self.tr(text))
        self.range_label.setText(self.tr("Ra&nge:"))
        self.refresh_button.setText(self.tr("Refresh"))
        if self.chart is not None:
            self.chart.retranslate()
        if self._title is not None:
            self._set_title(*self._title)
        elif self._shown is not None:
            self._show_title(*self._shown)

    def _set_title(self, text: str, fields: dict | None = None) -> None:
        self._title = (text, fields or {})
        self.title.setText(self.tr(text).format(**(fields or {})))

    def _show_title(self, start: datetime, end: datetime, total: float) -> None:
        self._title = None
        self._shown = (start, end, total)
        clock = self.reports.clock
        self.title.setText(self.tr("Kg dosed per silo per hour, {start} to {end} ({zone}) · {total} kg in all").format(
            start=clock.format(start, seconds=False), end=clock.format(end, seconds=False), zone=clock.zone_name,
            total=f"{total:,.0f}"))

    def ensure_chart(self) -> "_PlotWithCrosshair":
        if self.chart is None:
            self.chart = _PlotWithCrosshair(self.reports.clock, QT_TRANSLATE_NOOP("TrendPlot", "kg per hour"), self)
            self.chart.setObjectName("trendChart")
            self._layout.addWidget(self.chart, 1)
        return self.chart

    def reload(self) -> None:
        self.ensure_chart()
        self._spawn(self.load())

    async def load(self) -> None:
        self._generation += 1
        generation = self._generation
        end = self._now()
        start = end - self.range_combo.currentData()
        self._set_title(QT_TRANSLATE_NOOP("TrendsTab", "Loading…"))
        try:
            hours = await self.reports.hourly(start, end)
        except Exception as exc:  # noqa: BLE001 - show it; the tab stays usable
            if generation == self._generation:
                self._set_title(QT_TRANSLATE_NOOP("TrendsTab", "Trends unavailable: the database cannot be read"))
                self.title.setToolTip(plain_error(str(exc)))
            return
        if generation != self._generation:
            return
        self.show_hours(hours, start, end)

    def show_hours(self, hours: list[tuple[datetime, dict[str, float]]], start: datetime, end: datetime) -> None:
        self.hours = hours
        self.loaded_once = True
        self.ensure_chart()
        clock = self.reports.clock
        silos = [silo.label for silo in ALL_SILOS if any(silo.label in kg for _, kg in hours)]
        # Every hour of the range is a point (zero when nothing was dosed), so gaps read as idle time.
        first = start.replace(minute=0, second=0, microsecond=0)
        slots = []
        at = first
        while at < end:
            slots.append(at)
            at += timedelta(hours=1)
        by_hour = dict(hours)
        xs = [plant_seconds(clock, at) for at in slots]
        for silo in list(self._curves):
            if silo not in silos:
                self.chart.plot.removeItem(self._curves.pop(silo))
                self.chart.legend.removeItem(silo)
        for silo in silos:
            if silo not in self._curves:
                self._curves[silo] = self.chart.curve(silo, SILO_COLOURS[silo], width=1.5)
            ys = [by_hour.get(at, {}).get(silo, 0.0) for at in slots]
            self._curves[silo].setData(xs, ys, stepMode="right")
        total = sum(sum(kg.values()) for _, kg in hours)
        self._show_title(start, end, total)
        self.chart.plot.enableAutoRange()
