"""Plain domain types shared by every layer (no I/O, no Qt, no SQLAlchemy).

The plant doses each batch from up to 13 silos (A..M, equipment ids 101..113) and
two liquid tanks (LQ114 TETES, LQ115 FML). The names below are the ones the origin
system used in its database columns, its PLC map and its Odoo contract, so a row,
a register block and an Odoo payload can be translated into one another by table
lookup instead of string guessing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Callable, Iterable, Mapping


def deviation_percent(target_kg: float | None, actual_kg: float | None) -> float | None:
    """How far a dose missed its target, in percent of the target (+ over, - under); None without
    a target or a reading."""
    if not target_kg or actual_kg is None:
        return None
    return (actual_kg - target_kg) / target_kg * 100.0


class Silo(enum.Enum):
    """A dosing point. The value is the PLC/Odoo equipment id."""

    A = 101
    B = 102
    C = 103
    D = 104
    E = 105
    F = 106
    G = 107
    H = 108
    I = 109  # noqa: E741 - silo letters are the plant's names
    J = 110
    K = 111
    L = 112
    M = 113
    LQ114 = 114
    LQ115 = 115

    @property
    def equipment_id(self) -> int:
        return self.value

    @property
    def is_liquid(self) -> bool:
        return self.value >= 114

    @property
    def label(self) -> str:
        """Short operator-facing name: 'A'..'M', 'LQ114', 'LQ115'."""
        return self.name

    @property
    def long_label(self) -> str:
        return _LONG_LABELS[self]

    @property
    def tag(self) -> str:
        """The origin's scada_tag, used in column names: 'silo_a'..'silo_m', 'lq_tetes', 'lq_fml'."""
        return _TAGS[self]

    @property
    def id_column(self) -> str:
        """mo_batch column holding this point's equipment id: 'silo_a'..'silo_m', 'lq114', 'lq115'."""
        return f"lq{self.value}" if self.is_liquid else self.tag

    @property
    def odoo_code(self) -> str:
        """Odoo scada.equipment code: 'silo101'..'silo113', 'lq114', 'lq115'."""
        return f"lq{self.value}" if self.is_liquid else f"silo{self.value}"

    @property
    def name_column(self) -> str:
        return f"component_{self.tag}_name"

    @property
    def target_column(self) -> str:
        return f"consumption_{self.tag}"

    @property
    def actual_column(self) -> str:
        return f"actual_consumption_{self.tag}"

    @classmethod
    def from_equipment_id(cls, equipment_id: int) -> "Silo":
        return cls(equipment_id)


_TAGS = {s: f"silo_{s.name.lower()}" for s in Silo if s.value < 114}
_TAGS[Silo.LQ114] = "lq_tetes"
_TAGS[Silo.LQ115] = "lq_fml"
_LONG_LABELS = {s: f"SILO {s.name}" for s in Silo if s.value < 114}
_LONG_LABELS[Silo.LQ114] = "LQ114 TETES"
_LONG_LABELS[Silo.LQ115] = "LQ115 FML"

#: Every dosing point in PLC/slot order (A..M, then the two tanks).
ALL_SILOS: tuple[Silo, ...] = tuple(Silo)


def _frozen(mapping: Mapping | None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class SiloTarget:
    """One component of an MO mapped onto a dosing point."""

    silo: Silo
    component_name: str
    target_kg: float


@dataclass(frozen=True)
class HandAddComponent:
    """A component of an MO that no silo or tank of the line doses: weighed and added by hand
    (premix, medicines, salt). Odoo shows it on the MO-level PLC equipment (e.g. PLC01)."""

    product_id: int
    product_name: str
    target_kg: float
    #: The unit Odoo gave the quantity in ("kg", "g", ...); target_kg is already converted to kg.
    uom: str = "kg"
    #: The Odoo equipment code the component came with (the MO-level PLC, or empty).
    equipment_code: str = ""


@dataclass(frozen=True)
class ManufacturingOrder:
    """An Odoo MO reduced to what the line needs."""

    mo_id: str
    product_name: str
    quantity: float
    equipment_code: str
    bom_code: str = ""
    state: str = "confirmed"
    targets: Mapping[Silo, SiloTarget] = field(default_factory=dict)
    #: Components that have no silo/tank on this line (e.g. PLC01 additives): the operator adds them by hand.
    hand_added: tuple[HandAddComponent, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", _frozen(self.targets))
        object.__setattr__(self, "hand_added", tuple(self.hand_added))

    @property
    def unmapped_components(self) -> tuple[str, ...]:
        """Names of the hand-added components (no silo/tank on this line)."""
        return tuple(component.product_name for component in self.hand_added)

    @property
    def target_total_kg(self) -> float:
        """Everything the batch should contain: the silos' targets plus the hand-added ones."""
        return sum(t.target_kg for t in self.targets.values()) + sum(c.target_kg for c in self.hand_added)


@dataclass(frozen=True)
class BatchRecipe:
    """What is written into one PLC WRITE slot."""

    batch_no: int
    mo_id: str
    bom_code: str
    product_name: str
    quantity: float
    targets_kg: Mapping[Silo, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets_kg", _frozen(self.targets_kg))


@dataclass(frozen=True)
class PlcSlotReading:
    """One decoded PLC READ slot (progress of one batch as the PLC reports it)."""

    slot: int
    batch_no: int
    mo_id: str
    bom_code: str
    product_name: str
    quantity: float
    actual_kg: Mapping[Silo, float]
    silo_ids: Mapping[Silo, int]
    status_manufacturing: bool
    status_operation: bool
    weight_finished_good: float
    status_read_data: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "actual_kg", _frozen(self.actual_kg))
        object.__setattr__(self, "silo_ids", _frozen(self.silo_ids))

    @property
    def is_empty(self) -> bool:
        """A slot the PLC has no batch in (no MO text and batch number 0)."""
        return not self.mo_id and self.batch_no == 0


class HandAddSource(enum.Enum):
    """Who confirmed a hand-added component's weighed amount."""

    OPERATOR = "operator"  # typed in (or target accepted) in the window or through the admin API
    PLC = "plc"            # read from the PLC's manual-weighing area


@dataclass(frozen=True)
class HandAddLine:
    """One hand-added component of a stored batch: what Odoo asked for and what was weighed."""

    mo_id: str
    product_id: int
    product_name: str
    target_kg: float
    uom: str = "kg"
    actual_kg: float | None = None
    confirmed_at: datetime | None = None
    confirmed_by: str | None = None
    source: HandAddSource | None = None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.actual_kg is not None

    @property
    def deviation_percent(self) -> float | None:
        return deviation_percent(self.target_kg, self.actual_kg)


@dataclass(frozen=True)
class ManualWeighingReading:
    """The PLC's manual-weighing area: one hand-added component weighed at a scale station."""

    batch_no: int
    mo_id: str  # what the PLC's MO field holds (the batch's PLC key)
    product_id: int  # Odoo product id
    kg: float
    #: True once the HMI has taken this weighing (the HMI sets it; the PLC clears it with the next one).
    status_read_data: bool

    @property
    def is_empty(self) -> bool:
        return not self.mo_id and self.product_id == 0


class DownloadState(enum.Enum):
    """Where a stored batch stands in the two-phase download (store first, then the PLC)."""

    PENDING = "pending"        # stored; the PLC write has not started
    WRITING = "writing"        # the PLC write started; whether it landed is not known yet
    DOWNLOADED = "downloaded"  # the PLC has the recipe
    HELD = "held"              # the PLC could not say whether it has it; never downloaded again blindly


class DispatchState(enum.Enum):
    """Where an MO stands in the dispatch ledger (``mo_dispatch``): one row per MO that was ever
    about to be written to a PLC. Only an operator's release (``HELD`` -> ``RELEASED``) lets the
    sync download it again; see hmi.store.dispatch."""

    RESERVED = "reserved"    # about to be written to the PLC (committed before the first write)
    ON_PLC = "on_plc"        # the PLC has the recipe
    FINISHED = "finished"    # the PLC finished it: its consumption waits to be reported
    REPORTED = "reported"    # Odoo has the consumption; marking the MO done may still be due
    CLOSED = "closed"        # nothing left to do for this MO (done, cancelled, or archived by a supervisor)
    HELD = "held"            # left the table without an end; waits for an operator
    RELEASED = "released"    # an operator (or the PLC's own answer) said it may be downloaded again
    FAILED = "failed"        # the PLC failed the batch; cancelling it in Odoo is due

    @property
    def may_download(self) -> bool:
        return self is DispatchState.RELEASED


class BatchState(enum.Enum):
    """Operator-facing state of a row in mo_batch (ISA-101: participles in capitals)."""

    DOWNLOADING = "DOWNLOADING"  # stored, being written to the PLC (or a restart is asking the PLC)
    HELD = "HELD"            # the PLC could not confirm the download; not downloaded again
    QUEUED = "QUEUED"        # stored and written to the PLC, dosing not started
    RUNNING = "RUNNING"      # the PLC reports dosed quantities
    DONE = "DONE"            # PLC finished it; locked, waiting for the push to Odoo
    REPORTED = "REPORTED"    # pushed to Odoo (about to be archived)
    FAILED = "FAILED"        # PLC reported status_operation = 1
    ATTENTION = "ATTENTION"  # push to Odoo failed too often; needs an operator


class ConnectionState(enum.Enum):
    DISCONNECTED = "DISCONNECTED"
    CONNECTING = "CONNECTING"
    CONNECTED = "CONNECTED"
    FAULT = "FAULT"


class HistoryStatus(enum.Enum):
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    CLEARED = "cleared"


@dataclass(frozen=True)
class SiloLine:
    """One dosing point of a stored batch: what Odoo asked for and what the PLC dosed."""

    silo: Silo
    component_name: str | None
    target_kg: float | None
    actual_kg: float | None

    @property
    def deviation_percent(self) -> float | None:
        return deviation_percent(self.target_kg, self.actual_kg)


@dataclass(frozen=True)
class Batch:
    """A snapshot of one mo_batch row, as the services, the API and the window see it."""

    batch_no: int
    mo_id: str
    product_name: str | None
    quantity: float
    equipment_code: str
    silos: tuple[SiloLine, ...]
    status_manufacturing: bool
    status_operation: bool
    actual_weight: float | None
    last_read_from_plc: datetime | None
    created_at: datetime | None
    update_odoo: bool = False
    odoo_cancelled: bool = False
    push_attempts: int = 0
    last_push_error: str | None = None
    next_push_at: datetime | None = None
    needs_attention: bool = False
    plc_key: str = ""
    download_state: DownloadState = DownloadState.DOWNLOADED
    hold_reason: str | None = None
    #: The components the operator adds by hand (no silo/tank), with what was confirmed.
    hand_added: tuple[HandAddLine, ...] = ()
    #: The fencing epoch of the instance that last wrote the row (hmi.store.fencing).
    epoch: int = 0

    @property
    def state(self) -> BatchState:
        if self.download_state is DownloadState.HELD:
            return BatchState.HELD
        if self.download_state in (DownloadState.PENDING, DownloadState.WRITING):
            return BatchState.DOWNLOADING
        if self.needs_attention:
            return BatchState.ATTENTION
        if self.update_odoo:
            return BatchState.REPORTED
        if self.status_operation:
            return BatchState.FAILED
        if self.status_manufacturing:
            return BatchState.DONE
        # The PLC publishes every recipe of its queue at once; a batch is RUNNING only once
        # dosing has started, before that it is still waiting its turn.
        if self.plc_actual_kg > 0 or (self.actual_weight or 0) > 0:
            return BatchState.RUNNING
        return BatchState.QUEUED

    @property
    def is_locked(self) -> bool:
        """A batch the PLC finished: no reading may change it any more."""
        return self.status_manufacturing

    @property
    def dosing_lines(self) -> tuple[SiloLine, ...]:
        """Only the points this recipe uses."""
        return tuple(line for line in self.silos if line.target_kg)

    @property
    def plc_target_kg(self) -> float:
        """What the PLC doses: the silos' and tanks' targets."""
        return sum(line.target_kg or 0.0 for line in self.silos)

    @property
    def plc_actual_kg(self) -> float:
        return sum(line.actual_kg or 0.0 for line in self.silos)

    @property
    def hand_added_open(self) -> tuple[HandAddLine, ...]:
        """Hand-added components nobody has confirmed yet."""
        return tuple(line for line in self.hand_added if not line.is_confirmed)

    @property
    def target_total_kg(self) -> float:
        """The whole batch: PLC targets plus the hand-added targets (agrees with the MO in Odoo)."""
        return self.plc_target_kg + sum(line.target_kg for line in self.hand_added)

    @property
    def actual_total_kg(self) -> float:
        """What is in the batch so far: the PLC's actuals plus the confirmed hand-added amounts."""
        return self.plc_actual_kg + sum(line.actual_kg or 0.0 for line in self.hand_added if line.is_confirmed)

    @property
    def figures(self) -> "BatchFigures":
        """The batch's figures as every screen, file and answer shows them (:func:`batch_figures`)."""
        return batch_figures(self.silos, self.hand_added)


# ---- figures: deviation, batch total and verdict (docs/operations.md, "Figures") --------------------------------
#
# One definition for the batch table, the details, the ticket, the report and the admin API:
# - a line's deviation is actual − target, in kg and in percent of its target (+ over, − under);
# - the batch total is like for like: target and actual over the same lines, the silo and tank lines
#   and the hand-added components somebody confirmed; a hand-added component still OPEN counts on
#   neither side and is shown as open (its target beside the total);
# - the worst silo is the silo or tank line whose deviation is the largest in percent of its target;
# - the verdict judges each silo or tank with a target against its tolerance (within, over, under); the
#   batch is within when every one of them is (hmi.services.tolerance supplies the allowances).

#: Decimals every deviation percentage is shown with (a 0.5 % tolerance must not read as 0 % or 1 %).
PERCENT_DECIMALS = 2


class Verdict(enum.Enum):
    """One line against its tolerance."""

    WITHIN = "within"
    OVER = "over"
    UNDER = "under"


def line_verdict(deviation_kg: float, allowed_kg: float) -> Verdict:
    # A hair of float noise must not turn a dose exactly at the limit into a fault.
    if abs(deviation_kg) <= allowed_kg + 1e-9:
        return Verdict.WITHIN
    return Verdict.OVER if deviation_kg > 0 else Verdict.UNDER


@dataclass(frozen=True)
class FigureLine:
    """One line of a batch as the figures count it: a silo or tank, or a hand-added component."""

    label: str  # the silo's label ('A'..'M', 'LQ114', 'LQ115'), or the hand-added product's name
    component: str
    target_kg: float
    #: None: a hand-added component nobody has confirmed (OPEN), or a silo without a reading yet.
    actual_kg: float | None
    by_hand: bool = False
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    #: The tolerance band (± kg) this line is judged against; None = not judged.
    allowed_kg: float | None = None

    @property
    def is_open(self) -> bool:
        """A hand-added component nobody has confirmed: counted on neither side of the batch total."""
        return self.by_hand and self.actual_kg is None

    @property
    def deviation_kg(self) -> float | None:
        return None if self.actual_kg is None else self.actual_kg - self.target_kg

    @property
    def deviation_percent(self) -> float | None:
        return deviation_percent(self.target_kg, self.actual_kg)

    @property
    def verdict(self) -> Verdict | None:
        if self.allowed_kg is None or not self.target_kg:
            return None
        return line_verdict((self.actual_kg or 0.0) - self.target_kg, self.allowed_kg)


@dataclass(frozen=True)
class BatchFigures:
    """A batch's lines and the figures every view shows of them (see the comment above)."""

    silos: tuple[FigureLine, ...]
    hand_added: tuple[FigureLine, ...] = ()

    @property
    def counted(self) -> tuple[FigureLine, ...]:
        """The lines of the batch total: every silo line and the confirmed hand-added components."""
        return self.silos + tuple(line for line in self.hand_added if not line.is_open)

    @property
    def open_lines(self) -> tuple[FigureLine, ...]:
        return tuple(line for line in self.hand_added if line.is_open)

    @property
    def open_target_kg(self) -> float:
        return sum(line.target_kg for line in self.open_lines)

    @property
    def target_kg(self) -> float:
        return sum(line.target_kg for line in self.counted)

    @property
    def actual_kg(self) -> float:
        return sum(line.actual_kg or 0.0 for line in self.counted)

    @property
    def by_hand_kg(self) -> float:
        """What was weighed by hand and confirmed (part of ``actual_kg``)."""
        return sum(line.actual_kg or 0.0 for line in self.hand_added if not line.is_open)

    @property
    def deviation_kg(self) -> float:
        return self.actual_kg - self.target_kg

    @property
    def deviation_percent(self) -> float | None:
        """The batch's deviation: the batch total, like for like."""
        return deviation_percent(self.target_kg, self.actual_kg)

    @property
    def worst_silo(self) -> FigureLine | None:
        """The silo or tank furthest from its target, in percent (None when no silo has a target and a reading)."""
        judged = [line for line in self.silos if line.deviation_percent is not None]
        return max(judged, key=lambda line: abs(line.deviation_percent or 0.0), default=None)

    @property
    def judged(self) -> tuple[FigureLine, ...]:
        return tuple(line for line in self.silos if line.verdict is not None)

    @property
    def outside(self) -> tuple[FigureLine, ...]:
        return tuple(line for line in self.judged if line.verdict is not Verdict.WITHIN)

    @property
    def within(self) -> bool | None:
        """True when every judged silo is within its tolerance; None when none was judged."""
        return None if not self.judged else not self.outside


def batch_figures(silos: Iterable[SiloLine], hand_added: Iterable[HandAddLine] = (),
                  allowed: Callable[[str, float], float] | None = None) -> BatchFigures:
    """The figures of a batch from its stored lines. A silo or tank counts when it has a target or dosed
    something; ``allowed(silo label, target kg)`` gives the tolerance band of a silo with a target."""
    lines = []
    for line in silos:
        if not line.target_kg and not line.actual_kg:
            continue
        target = float(line.target_kg or 0.0)
        band = allowed(line.silo.label, target) if allowed is not None and target else None
        lines.append(FigureLine(line.silo.label, line.component_name or "", target,
                                None if line.actual_kg is None else float(line.actual_kg), allowed_kg=band))
    hand = tuple(FigureLine(h.product_name, h.product_name, float(h.target_kg),
                            float(h.actual_kg) if h.is_confirmed else None, by_hand=True,
                            confirmed_by=h.confirmed_by if h.is_confirmed else None,
                            confirmed_at=h.confirmed_at if h.is_confirmed else None)
                 for h in hand_added)
    return BatchFigures(tuple(lines), hand)


# ---- refusals the store raises and the services, the window and the admin API answer -----------------------


class FencedOut(Exception):
    """This instance no longer owns its line: the write was refused. The message says why."""


class TableChanged(Exception):
    """Clear was asked for a list of batches the table no longer holds; ``current`` is what it holds."""

    def __init__(self, current: list[str]) -> None:
        super().__init__("the batch table changed since it was shown: it now holds "
                         + (", ".join(current) or "nothing"))
        self.current = current


class InvalidCursor(ValueError):
    """The cursor was not made by :func:`hmi.store.history.encode_cursor`."""
