"""Tables of the batch store, with the origin system's column names.

``mo_batch`` holds the batches the line is working on; ``mo_histories`` keeps every batch
that left it (completed, failed, cancelled or cleared by an operator); ``mo_dispatch`` is the
dispatch ledger (every MO that was ever about to reach a PLC, and where it stands); ``system_log`` is
the audit trail of every state change that matters.

The per-silo column families (ids, component names, targets, actuals) are generated from
:class:`hmi.domain.Silo`, so the schema, the PLC map and the Odoo mapping cannot drift
apart. The migration scripts under ``migrations/versions`` spell the same tables out
literally, as migrations must not change when this module does; a test compares them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    BigInteger,
    Date,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase

from hmi.clock import utc_now
from hmi.domain import ALL_SILOS

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

#: Quantities: the origin used Numeric(18,3); read back as float for arithmetic.
Quantity = Numeric(18, 3, asdecimal=False)


def _batch_data_columns() -> list[Column]:
    """Columns shared by mo_batch and mo_histories: the batch as fetched and as dosed."""
    columns: list[Column] = [
        Column("batch_no", Integer, nullable=False, index=True),
        Column("consumption", Quantity, nullable=False),
        Column("equipment_id_batch", String(64), nullable=False),
        Column("finished_goods", String(128)),
    ]
    for silo in ALL_SILOS:
        columns += [
            Column(silo.id_column, Integer, nullable=False, server_default=text(str(silo.equipment_id))),
            Column(silo.name_column, String(64)),
            Column(silo.target_column, Float),
        ]
    columns += [
        Column("status_manufacturing", Boolean, nullable=False, server_default=false()),
        Column("status_operation", Boolean, nullable=False, server_default=false()),
        Column("actual_weight_quantity_finished_goods", Quantity),
    ]
    columns += [Column(silo.actual_column, Float) for silo in ALL_SILOS]
    columns.append(Column("last_read_from_plc", DateTime(timezone=True)))
    return columns


mo_batch = Table(
    "mo_batch",
    metadata,
    Column("id", Uuid, primary_key=True, default=uuid.uuid4),
    # The origin upserted by mo_id without a constraint; two instances could store an MO twice.
    Column("mo_id", String(64), nullable=False, unique=True),
    *_batch_data_columns(),
    Column("update_odoo", Boolean, nullable=False, server_default=false()),
    Column("odoo_cancelled", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Completion bookkeeping (revision 0002): failed pushes are retried with backoff, then flagged.
    Column("push_attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_push_error", Text),
    Column("next_push_at", DateTime(timezone=True)),
    Column("needs_attention", Boolean, nullable=False, server_default=false()),
    # Two-phase download (revision 0004): see hmi.domain.DownloadState.
    Column("plc_key", String(64), nullable=False),
    Column("download_state", String(16), nullable=False, server_default=text("'downloaded'")),
    Column("hold_reason", Text),
    # Revision 0014: the fencing epoch of the instance that wrote the row (hmi.store.fencing).
    Column("epoch", BigInteger, nullable=False, server_default=text("0")),
)
# What the PLC sees of a batch must identify it: no two rows share a PLC key, on any line of the
# database (revision 0014; before, per line), so a reading can never be matched to another line's batch.
Index("uq_mo_batch_plc_key", mo_batch.c.plc_key, unique=True)

def dosed_default(row: dict):
    """A history row's dosed_at when the writer gives none: its last PLC reading, else its archive time."""
    return row.get("last_read_from_plc") or row.get("archived_at") or utc_now()


mo_histories = Table(
    "mo_histories",
    metadata,
    Column("id", Uuid, primary_key=True, default=uuid.uuid4),
    Column("mo_id", String(64), nullable=False, index=True),
    *_batch_data_columns(),
    Column("status", String(20), nullable=False, server_default=text("'completed'")),
    Column("notes", Text),
    Column("actor", String(128)),
    Column("archived_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Revision 0009: the dosing-tolerance verdict of a completed batch (within / outside) and each
    # used silo's deviation as JSON ({"A": {"target": .., "actual": .., "deviation": .., "allowed": .., "within": ..}}).
    Column("tolerance_verdict", String(16), index=True),
    Column("tolerance_deviations", Text),
    # Revision 0016: when the batch was dosed (the DONE reading; else the last PLC reading, else the
    # archive time): the reports count a batch in the shift of this time, not of its archiving.
    Column("dosed_at", DateTime(timezone=True), nullable=False, index=True, default=lambda context: dosed_default(
        context.get_current_parameters())),
)
# Revision 0010: keyset pages (newest first, id breaks ties) read these in order, never sort.
Index("ix_mo_histories_archived_at_id", mo_histories.c.archived_at, mo_histories.c.id)
Index("ix_mo_histories_status_archived_at_id", mo_histories.c.status, mo_histories.c.archived_at, mo_histories.c.id)
# Revision 0003: the database itself refuses a second "completed" record of one MO.
Index(
    "uq_mo_histories_completed_mo_id",
    mo_histories.c.mo_id,
    unique=True,
    sqlite_where=text("status = 'completed'"),
    postgresql_where=text("status = 'completed'"),
)

# Revision 0010: history rows per UTC day and status, kept by triggers on mo_histories, so the
# total of a status or date filter is a sum of small rows rather than a count over the history.
mo_history_counts = Table(
    "mo_history_counts",
    metadata,
    Column("day", Date, primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("entries", BigInteger, nullable=False, server_default=text("0")),
)

#: Objects revision 0010 creates only when the database offers them (the MO search index:
#: pg_trgm GIN or varchar_pattern_ops on PostgreSQL, an FTS5 trigram table on SQLite); they
#: are not modelled here, and a schema comparison leaves them out.
OPTIONAL_SEARCH_OBJECTS = frozenset({
    "ix_mo_histories_mo_id_trgm", "ix_mo_histories_mo_id_prefix", "mo_histories_mo_search",
    "mo_histories_mo_search_data", "mo_histories_mo_search_idx", "mo_histories_mo_search_docsize",
    "mo_histories_mo_search_config", "mo_histories_mo_search_content",
})

# Revision 0014: the dispatch ledger, one row per MO that was ever about to be written to a PLC
# (hmi.store.dispatch). Never deleted; the Held list is its rows in state "held". It replaced
# the held_mos table of revision 0004 (whose rows it took over).
mo_dispatch = Table(
    "mo_dispatch",
    metadata,
    Column("mo_id", String(64), primary_key=True),
    Column("line", String(64), nullable=False),
    Column("plc_key", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("epoch", BigInteger, nullable=False, server_default=text("0")),
    #: How often the MO was reserved for a PLC: 1 + the releases that let it be downloaded again.
    Column("dispatches", Integer, nullable=False, server_default=text("1")),
    Column("reason", Text),
    Column("actor", String(128)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_mo_dispatch_line_state", mo_dispatch.c.line, mo_dispatch.c.state)

# Every move of a ledger row, appended in the same transaction as the move: who, when, why.
mo_dispatch_events = Table(
    "mo_dispatch_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mo_id", String(64), nullable=False, index=True),
    Column("line", String(64), nullable=False),
    Column("epoch", BigInteger, nullable=False, server_default=text("0")),
    Column("from_state", String(16)),
    Column("to_state", String(16), nullable=False),
    #: The PLC key a reservation gave the MO (every key it ever had on a PLC stays on record).
    Column("plc_key", String(64)),
    Column("actor", String(128)),
    Column("reason", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)

system_log = Table(
    "system_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("timestamp", DateTime(timezone=True), nullable=False, server_default=func.now(), index=True),
    Column("level", String(16), nullable=False),
    Column("module", String(255), nullable=False),
    Column("message", Text, nullable=False),
    Column("batch_no", String(64)),
    Column("mo_id", String(64), index=True),
    Column("actor", String(128)),
    # Revision 0010: the line (LINE_EQUIPMENT_CODE) of the instance that wrote the record.
    Column("line", String(64)),
)
Index("ix_system_log_level_timestamp", system_log.c.level, system_log.c.timestamp)
Index("ix_system_log_line_id", system_log.c.line, system_log.c.id)


# Revision 0005: the instance serving each line (LINE_EQUIPMENT_CODE; '' = the whole table).
# The row only says who holds the line's lock (hmi.store.instance_lock); the lock itself is a
# PostgreSQL advisory lock or an OS file lock, which a crashed instance cannot leave behind.
line_instances = Table(
    "line_instances",
    metadata,
    Column("line", String(64), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
    # Revision 0014: the fencing epoch; it only grows, each take of the line's lock adds one.
    Column("epoch", BigInteger, nullable=False, server_default=text("0")),
)

# Revision 0006: which product (Odoo internal reference) sits in which silo, for stock Odoo.
silo_assignment = Table(
    "silo_assignment",
    metadata,
    Column("silo", String(8), primary_key=True),
    Column("product_code", String(64), nullable=False, unique=True),
    Column("product_name", String(255), nullable=False, server_default=text("''")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_by", String(128)),
)

# Revision 0007: equipment-failure records read from the PLC's failure area (origin D8000–D8022).
# Revision 0014: one row per PLC record of a line (line, equipment, PLC time and text), with an
# occurrence counter: the PLC raising the same record again after the HMI acknowledged it counts
# (occurrences + 1) and is reported again; a re-read before the acknowledgement does not.
equipment_failures = Table(
    "equipment_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line", String(64), nullable=False, server_default=text("''")),  # '' when the instance has no line
    Column("equipment_code", String(64), nullable=False),
    Column("info", String(64), nullable=False),
    Column("failure_time", DateTime),  # the PLC's clock (plant local time); NULL when its BCD was invalid
    Column("failure_time_text", String(64), nullable=False),  # as read, also when invalid: part of the key
    Column("notes", Text),
    Column("read_at", DateTime(timezone=True), nullable=False),  # the first occurrence
    Column("last_occurred_at", DateTime(timezone=True), nullable=False),  # the latest occurrence (read time)
    Column("occurrences", Integer, nullable=False, server_default=text("1")),
    # NULL while the latest occurrence is stored but not yet acknowledged on the PLC (its handshake word).
    Column("plc_acknowledged_at", DateTime(timezone=True)),
    Column("reported_occurrences", Integer, nullable=False, server_default=text("0")),  # Odoo has heard of these
    Column("reported_at", DateTime(timezone=True)),  # the last successful report
    Column("report_attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_report_error", Text),
    Column("acknowledged_at", DateTime(timezone=True)),  # by an operator, in the window (reset by a new occurrence)
    Column("acknowledged_by", String(128)),
    UniqueConstraint("line", "equipment_code", "failure_time_text", "info", name="uq_equipment_failures_record"),
)
Index("ix_equipment_failures_last_occurred_at", equipment_failures.c.last_occurred_at)

# Revision 0009: per-silo dosing tolerance overrides (NULL = the DOSING_TOLERANCE_* default).
# A table of its own rather than columns on silo_assignment: that table only has rows for
# silos holding a stock-Odoo product, and tolerances apply on every Odoo protocol.
silo_tolerances = Table(
    "silo_tolerances",
    metadata,
    Column("silo", String(8), primary_key=True),
    Column("tolerance_kg", Float),
    Column("tolerance_percent", Float),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_by", String(128)),
)

# Revision 0009: alarms in ISA-18.2 states (hmi.services.alarms). One row per occurrence of a
# condition; re-raising an open alarm counts on the same row. ``subject`` tells conditions of one
# kind apart (the MO of a batch alarm, '' for plant-wide ones such as plc.offline).
alarms = Table(
    "alarms",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line", String(64), nullable=False, server_default=text("''")),
    Column("kind", String(64), nullable=False, index=True),
    Column("source", String(16), nullable=False),
    Column("subject", String(128), nullable=False, server_default=text("''")),
    Column("mo_id", String(64)),
    Column("batch_no", Integer),
    Column("silo", String(8)),
    Column("priority", String(8), nullable=False, index=True),
    Column("message", Text, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("count", Integer, nullable=False, server_default=text("1")),
    Column("raised_at", DateTime(timezone=True), nullable=False, index=True),
    Column("last_raised_at", DateTime(timezone=True), nullable=False),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", String(128)),
    Column("returned_at", DateTime(timezone=True)),
    Column("normal_at", DateTime(timezone=True)),
    Column("shelved_until", DateTime(timezone=True)),
    Column("shelved_by", String(128)),
    Column("shelf_reason", Text),
    # Revision 0013: the message's template and values (JSON) for the window's language; NULL = as stored.
    Column("message_template", Text),
    Column("message_values", Text),
)
# One open (not normal) alarm per condition and line: a second instance or a race cannot flood.
Index(
    "uq_alarms_open_condition",
    alarms.c.line,
    alarms.c.kind,
    alarms.c.subject,
    unique=True,
    sqlite_where=text("state <> 'normal'"),
    postgresql_where=text("state <> 'normal'"),
)

# Revision 0012: dosing samples of the batches on the PLC, for a batch's dosing curve and the trends.
# One row per batch, silo and change of its actual kg (silo 'FG' = the finished weight); written only
# when a value changed, pruned after READINGS_RETENTION_DAYS (hmi.store.readings).
batch_readings = Table(
    "batch_readings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mo_id", String(64), nullable=False),
    Column("batch_no", Integer, nullable=False),
    Column("equipment_id_batch", String(64), nullable=False),
    Column("silo", String(8), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, index=True),
    Column("kg", Float, nullable=False),
)
Index("ix_batch_readings_mo_id_recorded_at", batch_readings.c.mo_id, batch_readings.c.recorded_at)


# Revision 0008: the components of a batch that no silo doses (premix, medicines), weighed and added by
# hand. Written with the batch, confirmed by an operator (or read from the PLC's manual-weighing area),
# pushed to Odoo with the PLC's actuals; when the batch is archived the lines stay, stamped archived_at.
#: What a PLC dosed for a batch that produced nothing Odoo books (failed, cancelled, cleared): one row per
#: silo, written in the transaction that archives the batch, open until a person marks it booked in Odoo
#: (hmi.store.bookings; docs/operations.md "Caps, refused readings and dosed-but-not-produced batches").
dosed_bookings = Table(
    "dosed_bookings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mo_id", String(64), nullable=False, index=True),
    Column("line", String(64), nullable=False, server_default=text("''")),
    Column("batch_no", Integer, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("component", String(64), nullable=False),
    Column("component_name", String(255)),
    Column("kg", Float, nullable=False),
    Column("note", Text),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("booked_at", DateTime(timezone=True)),
    Column("booked_by", String(128)),
)

hand_add_lines = Table(
    "hand_add_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mo_id", String(64), nullable=False, index=True),
    Column("equipment_code", String(64), nullable=False),
    Column("product_id", Integer, nullable=False),
    Column("product_name", String(255), nullable=False),
    Column("target_kg", Float, nullable=False),
    Column("uom", String(16), nullable=False, server_default=text("'kg'")),
    Column("actual_kg", Float),
    Column("confirmed_at", DateTime(timezone=True)),
    Column("confirmed_by", String(128)),
    Column("source", String(16)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("archived_at", DateTime(timezone=True)),
)
# One open line per product of a batch; archived lines stay as the record.
Index(
    "uq_hand_add_lines_open_mo_product",
    hand_add_lines.c.mo_id,
    hand_add_lines.c.product_id,
    unique=True,
    sqlite_where=text("archived_at IS NULL"),
    postgresql_where=text("archived_at IS NULL"),
)

# Revision 0011: who may sign in at the window, with which role (hmi.services.access).
# pin_hash is a memory-hard hash (scrypt, hmi.services.pin_hash); a failed PIN counts towards a
# short lockout that every instance on the same database sees.
operators = Table(
    "operators",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("pin_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("failed_attempts", Integer, nullable=False, server_default=text("0")),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("created_by", String(128)),
    Column("changed_at", DateTime(timezone=True)),
    Column("changed_by", String(128)),
)


class Base(DeclarativeBase):
    metadata = metadata


class MoBatch(Base):
    """A batch the line is working on (one row per MO)."""

    __table__ = mo_batch


class MoHistory(Base):
    """A batch that left mo_batch, with why (status) and who (actor)."""

    __table__ = mo_histories


class MoDispatch(Base):
    """An MO that was about to be written to a PLC, and where it stands (the dispatch ledger)."""

    __table__ = mo_dispatch


class SystemLog(Base):
    __table__ = system_log


class Operator(Base):
    """Someone who may sign in at the window (name, role, PIN hash, active)."""

    __table__ = operators


#: Data columns copied from mo_batch into mo_histories when a batch is archived.
HISTORY_COPY_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in mo_histories.columns if c.name in mo_batch.columns and c.name != "id"
)
