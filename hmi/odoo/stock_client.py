"""Client for stock Odoo 16–19 (Manufacturing app, no addon) behind the grt_scada client's interface.

The services call `fetch_mos`, `push_consumption`, `mark_done` and `cancel` exactly as with the
grt_scada client; here they run the stock sequences (reference §2.3 and §3.2):

* `fetch_mos`: MOs in state confirmed/progress of this line's operation type and/or work center
  (optionally only ready ones), oldest planned start first; raw moves, products and units read in
  three more calls; components put in silos through the silo assignment.
* `push_consumption` (the idempotent write-back, part 1): read the MO state first (done -> nothing to
  write, counted as pushed; cancelled -> OdooMoCancelled), set the produced quantity, write every raw
  move's actual quantity from the PLC (16: quantity_done; 17+: quantity + picked with the
  manual-consumption context). Every raw move is written, none left unpicked.
* `mark_done` (part 2): button_mark_done and the wizards it returns (consumption warning confirmed
  and logged; backorder per ODOO_BACKORDER; 16's immediate-production skipped by context). Never with a
  produced quantity of 0 (17+ would silently consume the whole BoM).
* `cancel`: action_cancel, once (an MO already cancelled is left alone).

Each call is one transaction in Odoo; the write-back is made safe to repeat instead (REPLACE values).
"""

from __future__ import annotations

import logging
import math
import threading
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence, TypeVar

from hmi.clock import utc_now
from hmi.domain import Silo
from hmi.odoo.client import OdooActionResult
from hmi.odoo.errors import (
    OdooApplicationError,
    OdooBadResponse,
    OdooError,
    OdooMoCancelled,
    OdooRecordGone,
    OdooUnreachable,
    OdooValidationError,
)
from hmi.odoo.mapping import FetchResult
from hmi.odoo.rpc import RpcTransport
from hmi.odoo.stock_mapping import StockFields, m2o_id, m2o_name, map_stock_mos, product_label
from hmi.odoo.units import Unit, weight_units
from hmi.silo_assignment import SiloAssignment

log = logging.getLogger("hmi.odoo")

T = TypeVar("T")

BACKORDER_CHOICES = ("close", "backorder")
DEFAULT_STATES = ("confirmed", "progress")
WIZARD_CONSUMPTION = "mrp.consumption.warning"
WIZARD_BACKORDER = "mrp.production.backorder"
WIZARD_IMMEDIATE = "mrp.immediate.production"
#: Wizards one mark-done can chain (consumption, then backorder; 16: immediate first).
MAX_WIZARD_STEPS = 4
#: Pages of MOs one fetch may read when MOs are left out (each page SYNC_BATCH_LIMIT MOs).
MAX_PAGES = 5


class StockOdooClient:
    """Blocking; wrap it in AsyncOdooClient.over(...) for the event loop."""

    def __init__(
        self,
        transport: RpcTransport,
        assignment: Callable[[], SiloAssignment],
        *,
        picking_type: str = "",
        workcenter: str = "",
        only_ready: bool = False,
        backorder: str = "close",
        line_code: str = "",
        shortfall_tolerance: Callable[[float], float] | None = None,
        min_batch_kg: float = 0.0,
    ) -> None:
        if backorder not in BACKORDER_CHOICES:
            raise ValueError(f"backorder must be one of {BACKORDER_CHOICES}, got {backorder!r}")
        self.transport = transport
        self._assignment = assignment
        self.picking_type = picking_type.strip()
        self.workcenter = workcenter.strip()
        self.only_ready = only_ready
        self.backorder = backorder
        self.line_code = line_code
        #: kg a finished batch of the given target (kg) may fall short and still close without a backorder.
        self.shortfall_tolerance = shortfall_tolerance or (lambda _target_kg: 0.0)
        #: An MO below this many kg is left out of the sync (a leftover backorder, a slip).
        self.min_batch_kg = float(min_batch_kg)
        self.last_contact: datetime | None = None
        self.last_error: str = ""
        self.fields: StockFields | None = None
        self._lock = threading.Lock()
        self._mo_ids: dict[str, int] = {}  # MO name -> id; a backorder renames the MO, the id stays
        self._picking_type_id: int | None = None

    def __repr__(self) -> str:
        return f"StockOdooClient({self.transport!r}, protocol={self.transport.protocol})"

    @property
    def protocol(self) -> str:
        return self.transport.protocol

    def close(self) -> None:
        self.transport.close()

    # ---- public calls -------------------------------------------------------------------------------------

    def login(self) -> int:
        def call() -> int:
            self._version()
            return self.transport.authenticate()

        return self._tracked(call)

    def fetch_mos(self, limit: int, offset: int = 0, states: Sequence[str] | None = None) -> FetchResult:
        if limit < 1 or offset < 0:
            raise ValueError("limit must be >= 1 and offset >= 0")
        return self._tracked(lambda: self._fetch(limit, offset, tuple(states or DEFAULT_STATES)))

    def push_consumption(self, mo_id: str, finished_qty: float,
                         consumption: Mapping[Silo | str, float]) -> OdooActionResult:
        actual_kg = _silo_kg(consumption)
        finished = _finite(finished_qty, "finished_qty")
        return self._tracked(lambda: self._write_actuals(_require_name(mo_id), finished, actual_kg))

    def push_hand_added(self, mo_id: str, quantities: Mapping[int, float], equipment_code: str,
                        when: datetime) -> list[OdooActionResult]:
        """Stock Odoo never gives a batch hand-added components (an MO with a component in no silo is left
        out of the sync), so there is nothing to write; a call with amounts is refused, not half-done."""
        if quantities:
            raise OdooApplicationError("stock.move", "hand-added components are not supported with stock Odoo; "
                                                     "record them in Odoo", _require_name(mo_id))
        return []

    def mark_done(self, mo_id: str, finished_qty: float, when: datetime) -> OdooActionResult:
        if _finite(finished_qty, "finished_qty") <= 0:
            raise ValueError("finished_qty must be > 0: Odoo 17+ would consume the whole BoM on a mark-done at 0")
        return self._tracked(lambda: self._mark_done(_require_name(mo_id)))

    def cancel(self, mo_id: str) -> OdooActionResult:
        return self._tracked(lambda: self._cancel(_require_name(mo_id)))

    def search_products(self, text: str, limit: int = 40) -> list[tuple[str, str]]:
        """(internal reference, name) of products whose reference or name contains `text` (Silos dialog)."""
        needle = text.strip()

        def call() -> list[tuple[str, str]]:
            self._version()
            domain: list[Any] = [["default_code", "!=", False]]
            if needle:
                domain = ["&", *domain, "|", ["default_code", "ilike", needle], ["name", "ilike", needle]]
            rows = self.transport.call("product.product", "search_read",
                                       args={"domain": domain, "fields": ["default_code", "name"],
                                             "order": "default_code asc", "limit": int(limit)})
            return [(str(r["default_code"]), str(r.get("name") or "")) for r in rows or []
                    if isinstance(r, Mapping) and r.get("default_code")]

        return self._tracked(call)

    # ---- plumbing -----------------------------------------------------------------------------------------

    def _tracked(self, call: Callable[[], T]) -> T:
        with self._lock:
            try:
                value = call()
            except OdooError as exc:
                if isinstance(exc, OdooUnreachable):
                    self.fields = None  # detect the version again once it is back (it may have been upgraded)
                self.last_error = str(exc)
                log.warning("Odoo call failed: %s", exc)
                raise
            self.last_contact = utc_now()
            self.last_error = ""
            return value

    def _version(self) -> StockFields:
        if self.fields is None:
            major = self.transport.server_version()
            if major < 16:
                raise OdooBadResponse("/web/webclient/version_info",
                                      f"Odoo {major} is older than 16; use ODOO_API=grt_scada")
            self.fields = StockFields.for_version(major)
            log.info("Connected to Odoo %d over %s (planned start: %s, done quantity: %s)", major,
                     self.transport.protocol, self.fields.date_start, self.fields.move_done)
        return self.fields

    def _call(self, model: str, method: str, ids: list[int] | None = None, args: Mapping[str, Any] | None = None,
              context: Mapping[str, Any] | None = None, mo_id: str | None = None) -> Any:
        return self.transport.call(model, method, ids, args, context, mo_id)

    # ---- fetch --------------------------------------------------------------------------------------------

    def _fetch(self, limit: int, offset: int, states: tuple[str, ...]) -> FetchResult:
        """Up to `limit` usable MOs. MOs left out (component in no silo...) do not take a batch's place: further
        pages are read, a few at most, so a handful of unassigned old MOs cannot starve the line."""
        mos: list = []
        rejected: list = []
        received = 0
        for _page in range(MAX_PAGES):
            page = self._fetch_page(limit, offset, states)
            mos += [mo for mo in page.mos if mo.mo_id not in {m.mo_id for m in mos}]
            rejected += [r for r in page.rejected]
            received += page.received
            if len(mos) >= limit or page.received < limit:
                break
            offset += limit
        fetched = FetchResult(mos=tuple(mos[:limit]), rejected=tuple(rejected), received=received)
        log.info("Fetched %d MO(s) from Odoo (%d received, %d left out)", len(fetched.mos), fetched.received,
                 len(fetched.rejected))
        return fetched

    def _fetch_page(self, limit: int, offset: int, states: tuple[str, ...]) -> FetchResult:
        fields = self._version()
        domain: list[Any] = [["state", "in", list(states)]]
        if self.picking_type:
            domain.append(["picking_type_id", "=", self._resolve_picking_type()])
        if self.workcenter:
            domain.append(["id", "in", self._mos_on_workcenter()])
        if self.only_ready:
            domain.append(["reservation_state", "=", "assigned"])
        rows = self._call("mrp.production", "search_read", args={
            "domain": domain, "fields": fields.mo_fields, "order": f"{fields.date_start} asc, id asc",
            "limit": int(limit), "offset": int(offset)})
        rows = _require_list(rows, "mrp.production/search_read")
        move_ids = sorted({m for row in rows for m in (row.get("move_raw_ids") or []) if isinstance(m, int)})
        moves = self._read("stock.move", move_ids, fields.move_fields)
        product_ids = sorted({pid for m in moves.values() if (pid := m2o_id(m.get("product_id"))) is not None})
        products = self._read("product.product", product_ids, ["default_code", "name"])
        uom_ids = {m2o_id(m.get("product_uom")) for m in moves.values()}
        uom_ids |= {m2o_id(row.get("product_uom_id")) for row in rows}
        uoms = self._uom_records({u for u in uom_ids if u is not None}) if rows else {}
        assignment = self._assignment()
        if rows and not len(assignment):
            log.warning("The silo assignment is empty, so every MO is left out: fill it in the Silos dialog or "
                        "with PUT /api/admin/silo-assignment")
        fetched, ids = map_stock_mos(rows, moves, products, uoms, assignment, self.line_code, self.min_batch_kg)
        self._mo_ids.update(ids)
        # Each left-out MO is named once, by the sync ("MO left out of this sync: MO ...: component ... reason").
        return fetched

    def _uom_records(self, needed: set[int], mo_id: str | None = None) -> dict[int, dict]:
        """Every unit (kg and each category's or chain's reference among them, so any weight unit converts
        through kg), plus archived ones a move still uses."""
        fields = self._version()
        rows = _require_list(self._call("uom.uom", "search_read", args={
            "domain": [], "fields": list(fields.uom_fields)}, mo_id=mo_id), "uom.uom/search_read")
        records = {r["id"]: r for r in rows if isinstance(r, dict) and isinstance(r.get("id"), int)}
        missing = sorted(needed - set(records))
        if missing:
            records.update(self._read("uom.uom", missing, list(fields.uom_fields), mo_id=mo_id))
        return records

    def _resolve_picking_type(self) -> int:
        if self._picking_type_id is None:
            if self.picking_type.isdigit():
                self._picking_type_id = int(self.picking_type)
            else:
                rows = _require_list(self._call("stock.picking.type", "search_read", args={
                    "domain": [["name", "=", self.picking_type]], "fields": ["name", "warehouse_id"]}),
                    "stock.picking.type/search_read")
                if len(rows) != 1:
                    found = ", ".join(f"id {r.get('id')} ({m2o_name(r.get('warehouse_id')) or '-'})" for r in rows)
                    raise OdooValidationError(
                        "stock.picking.type", f"ODOO_PICKING_TYPE {self.picking_type!r} matches "
                        f"{len(rows)} operation types{': ' + found if found else ''}; set its id instead")
                self._picking_type_id = int(rows[0]["id"])
        return self._picking_type_id

    def _mos_on_workcenter(self) -> list[int]:
        centers = _require_list(self._call("mrp.workcenter", "search_read", args={
            "domain": [["code", "=", self.workcenter]], "fields": ["code", "name"]}), "mrp.workcenter/search_read")
        if not centers:
            raise OdooValidationError("mrp.workcenter", f"no work center with code {self.workcenter!r} "
                                                        "(ODOO_WORKCENTER)")
        orders = _require_list(self._call("mrp.workorder", "search_read", args={
            "domain": [["workcenter_id", "in", [c["id"] for c in centers]], ["state", "not in", ["done", "cancel"]]],
            "fields": ["production_id"]}), "mrp.workorder/search_read")
        return sorted({pid for w in orders if (pid := m2o_id(w.get("production_id"))) is not None})

    def _read(self, model: str, ids: list[int], fields: list[str], mo_id: str | None = None) -> dict[int, dict]:
        if not ids:
            return {}
        rows = _require_list(self._call(model, "read", ids=ids, args={"fields": fields}, mo_id=mo_id),
                             f"{model}/read")
        return {row["id"]: row for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)}

    # ---- write-back ---------------------------------------------------------------------------------------

    def _find_mo(self, mo_id: str, fields: list[str]) -> dict:
        known = self._mo_ids.get(mo_id)
        if known is not None:
            rows = self._read("mrp.production", [known], fields, mo_id=mo_id)
            if known in rows:
                return rows[known]
        rows = _require_list(self._call("mrp.production", "search_read", args={
            "domain": [["name", "=", mo_id]], "fields": fields, "limit": 1}, mo_id=mo_id), "mrp.production")
        if not rows:
            raise OdooRecordGone("mrp.production", mo_id, "no MO with this name")
        self._mo_ids[mo_id] = int(rows[0]["id"])
        return rows[0]

    def _write_actuals(self, mo_id: str, finished_kg: float, actual_kg: dict[Silo, float]) -> OdooActionResult:
        fields = self._version()
        mo = self._find_mo(mo_id, ["name", "state", "product_uom_id", "move_raw_ids", "qty_producing"])
        state = mo.get("state")
        if state == "done":
            log.info("MO %s is already done in Odoo; nothing written, counted as reported", mo_id,
                     extra={"mo_id": mo_id})
            return OdooActionResult(mo_id, "done", "already done in Odoo")
        if state == "cancel":
            raise OdooMoCancelled("mrp.production", mo_id)
        moves = self._read("stock.move", [m for m in mo.get("move_raw_ids") or [] if isinstance(m, int)],
                           fields.move_fields, mo_id=mo_id)
        uom_ids = {u for m in moves.values() if (u := m2o_id(m.get("product_uom"))) is not None}
        mo_uom = m2o_id(mo.get("product_uom_id"))
        units = weight_units(self._uom_records(uom_ids | ({mo_uom} if mo_uom is not None else set()), mo_id).values())
        plan = self._move_plan(mo_id, moves, actual_kg, units)
        mo_id_db = int(mo["id"])
        if finished_kg > 0:
            mo_unit = _unit(units, mo_uom, mo_id, "the finished product")
            self._call("mrp.production", "write", ids=[mo_id_db],
                       args={"vals": {"qty_producing": mo_unit.booked(finished_kg)}}, mo_id=mo_id)
            if fields.has_set_qty_producing:
                self._call("mrp.production", "set_qty_producing", ids=[mo_id_db], mo_id=mo_id)
        applied: dict[str, float] = {}
        for move_id, quantity, code, kg, _note in plan:
            if fields.uses_picked:
                self._call("stock.move", "write", ids=[move_id], args={"vals": {"quantity": quantity, "picked": True}},
                           context={"force_manual_consumption": True}, mo_id=mo_id)
            else:
                self._call("stock.move", "write", ids=[move_id], args={"vals": {"quantity_done": quantity}},
                           mo_id=mo_id)
            applied[code] = applied.get(code, 0.0) + kg
        log.info("Wrote the actuals of MO %s to Odoo (as Odoo books them): %s, finished %g kg", mo_id,
                 "; ".join(note for *_rest, note in plan) or "no consumption", finished_kg,
                 extra={"mo_id": mo_id})
        return OdooActionResult(mo_id, str(state), "actuals written", applied=applied)

    def _move_plan(self, mo_id: str, moves: Mapping[int, Mapping[str, Any]], actual_kg: Mapping[Silo, float],
                   units: Mapping[int, Unit]) -> list[tuple[int, float, str, float, str]]:
        """(move id, quantity in the move's unit, product code, kg Odoo books, log text) for every open raw
        move; checked before anything is written so a refused write-back leaves the MO untouched.

        A silo's actual is shared among its moves in proportion to their demand in kg (moves in g and kg
        compare like for like), each share is rounded as Odoo rounds it in the move's unit, and what the
        rounding leaves over goes to the silo's next move, so the silo's total is kept; the last move's
        remainder is named in the log line."""
        assignment = self._assignment()
        products = self._read("product.product", sorted({pid for m in moves.values()
                                                         if (pid := m2o_id(m.get("product_id"))) is not None}),
                              ["default_code", "name"], mo_id=mo_id)
        by_silo: dict[Silo, list[tuple[int, Mapping[str, Any], str, Unit]]] = {}
        for move_id, move in sorted(moves.items()):
            if move.get("state") in ("cancel", "done"):
                continue
            product = products.get(m2o_id(move.get("product_id")) or -1)
            label = product_label(product, m2o_name(move.get("product_id")))
            code = str((product or {}).get("default_code") or "").strip()
            silo = assignment.silo_for_code(code) if code else None
            if silo is None:
                raise OdooApplicationError(
                    "stock.move", f"component {label} is in no silo now, so its actual quantity is unknown; "
                                  "nothing was written (assign it again or record it by hand in Odoo)", mo_id)
            unit = _unit(units, m2o_id(move.get("product_uom")), mo_id, label)
            by_silo.setdefault(silo, []).append((move_id, move, code, unit))
        unknown = [silo.label for silo, kg in actual_kg.items() if kg > 0 and silo not in by_silo]
        if unknown:
            raise OdooApplicationError(
                "stock.move", f"the PLC dosed silo(s) {', '.join(unknown)} but the MO has no component in them; "
                              "nothing was written (check the silo assignment)", mo_id)
        plan: list[tuple[int, float, str, float, str]] = []
        for silo, entries in by_silo.items():
            total_kg = actual_kg.get(silo, 0.0)
            demand_kg = [unit.to_kg(max(float(m.get("product_uom_qty") or 0.0), 0.0)) for _i, m, _c, unit in entries]
            carry = 0.0
            for index, (move_id, _move, code, unit) in enumerate(entries):
                share = demand_kg[index] / sum(demand_kg) if sum(demand_kg) > 0 else 1.0 / len(entries)
                wanted_kg = total_kg * share + carry
                quantity = unit.booked(wanted_kg)
                booked_kg = unit.to_kg(quantity)
                carry = wanted_kg - booked_kg
                note = f"{silo.odoo_code} {code}={quantity:g} {unit.name}"
                if abs(booked_kg - wanted_kg) > 1e-9:
                    note += f" ({booked_kg:g} kg booked for {wanted_kg:g} kg"
                    note += (f"; {carry:+g} kg carried to the next move)" if index < len(entries) - 1
                             else f"; {carry:+g} kg of the silo's {total_kg:g} kg not booked: the unit's rounding "
                                  f"is {unit.rounding:g} {unit.name})")
                plan.append((move_id, quantity, code, booked_kg, note))
        return plan

    def _mark_done(self, mo_id: str) -> OdooActionResult:
        fields = self._version()
        mo = self._find_mo(mo_id, ["name", "state", "qty_producing", "product_qty", "product_uom_id"])
        if mo.get("state") == "done":
            log.info("MO %s is already done in Odoo; mark-done skipped", mo_id, extra={"mo_id": mo_id})
            return OdooActionResult(mo_id, "done", "already done in Odoo")
        if mo.get("state") == "cancel":
            raise OdooMoCancelled("mrp.production", mo_id)
        if not float(mo.get("qty_producing") or 0.0) > 0:
            raise OdooApplicationError(
                "mrp.production", "the produced quantity in Odoo is 0; mark-done refused (Odoo would consume the "
                                  "whole BoM). The actuals are written first: check that the push succeeded", mo_id)
        mo_db_id = int(mo["id"])
        context: dict[str, Any] = {"skip_immediate": True} if fields.major <= 16 else {}
        result = self._call("mrp.production", "button_mark_done", ids=[mo_db_id], context=context or None,
                            mo_id=mo_id)
        notes: list[str] = []
        for _step in range(MAX_WIZARD_STEPS):
            if result is True or result is None or result is False:
                break
            if not isinstance(result, Mapping) or result.get("type") != "ir.actions.act_window":
                raise OdooBadResponse("mrp.production/button_mark_done", f"unexpected answer {result!r:.120}")
            model = result.get("res_model")
            wizard_context = dict(result.get("context") or {})
            if notes and any(n.startswith("consumption") for n in notes):
                wizard_context["skip_consumption"] = True  # confirmed once; a later wizard must not ask again
            if model == WIZARD_CONSUMPTION:
                deviation = self._describe_consumption(wizard_context, mo_id)
                log.warning("MO %s: consumption differs from the BoM (%s); confirmed in Odoo", mo_id, deviation,
                            extra={"mo_id": mo_id})
                notes.append(f"consumption deviation confirmed: {deviation}")
                result = self._run_wizard(model, wizard_context, "action_confirm", mo_id)
            elif model == WIZARD_BACKORDER:
                backorder, word = self._backorder_choice(mo, mo_id)
                action = "action_backorder" if backorder else "action_close_mo"
                log.info("MO %s produced less than planned: %s (ODOO_BACKORDER=%s)", mo_id, word, self.backorder,
                         extra={"mo_id": mo_id})
                notes.append(word)
                result = self._run_wizard(model, wizard_context, action, mo_id)
                if backorder:
                    break  # action_backorder answers the form of the new backorder, not another wizard
            elif model == WIZARD_IMMEDIATE:
                result = self._run_wizard(model, wizard_context, "process", mo_id)
            else:
                raise OdooValidationError("mrp.production/button_mark_done",
                                          f"Odoo asks for {result.get('name') or model} ({model}), which the line "
                                          "cannot answer; finish the MO in Odoo", mo_id)
        after = self._read("mrp.production", [mo_db_id], ["name", "state"], mo_id=mo_id).get(mo_db_id)
        if after is None:
            raise OdooRecordGone("mrp.production", mo_id)
        if after.get("state") != "done":
            raise OdooValidationError("mrp.production/button_mark_done",
                                      f"the MO is still {after.get('state')!r} after mark-done", mo_id)
        message = "marked done" + (f" ({'; '.join(notes)})" if notes else "")
        log.info("Marked MO %s done in Odoo%s", mo_id, f" as {after.get('name')}" if after.get("name") != mo_id else "",
                 extra={"mo_id": mo_id})
        return OdooActionResult(mo_id, "done", message)

    def _backorder_choice(self, mo: Mapping[str, Any], mo_id: str) -> tuple[bool, str]:
        """(make a backorder?, what to log). With ODOO_BACKORDER=backorder only a real partial production
        makes one: a shortfall the batch tolerance allows (a scale's few kg) closes the MO instead."""
        if self.backorder != "backorder":
            return False, "closed without backorder"
        planned = float(mo.get("product_qty") or 0.0)
        produced = float(mo.get("qty_producing") or 0.0)
        uom_id = m2o_id(mo.get("product_uom_id"))
        unit = weight_units(self._uom_records({uom_id} if uom_id is not None else set(), mo_id).values()).get(
            uom_id if uom_id is not None else -1)
        if unit is None:
            return True, "backorder created for the rest"
        short_kg, allowed_kg = unit.to_kg(planned - produced), self.shortfall_tolerance(unit.to_kg(planned))
        if short_kg <= allowed_kg + 1e-9:
            return False, (f"closed without backorder: {short_kg:g} kg short of {unit.to_kg(planned):g} kg is within "
                           f"the batch tolerance ({allowed_kg:g} kg)")
        return True, f"backorder created for the rest ({short_kg:g} kg)"

    def _describe_consumption(self, context: Mapping[str, Any], mo_id: str) -> str:
        """'RM-CGF 658.9 consumed / 657.07 expected; ...' from the consumption wizard's lines."""
        lines = _warning_lines(context)
        ids = sorted({pid for line in lines if isinstance(pid := line.get("product_id"), int)})
        try:
            products = self._read("product.product", ids, ["default_code", "name"], mo_id=mo_id)
        except OdooError:
            products = {}  # the deviation is still confirmed; the log falls back to product ids
        parts = []
        for line in lines:
            product = products.get(line.get("product_id"))
            who = (product or {}).get("default_code") or f"product {line.get('product_id')}"
            consumed, expected = line.get("product_consumed_qty_uom"), line.get("product_expected_qty_uom")
            parts.append(f"{who} {_num(consumed)} consumed / {_num(expected)} expected")
        return "; ".join(parts) or "no detail"

    def _run_wizard(self, model: str, context: dict[str, Any], action: str, mo_id: str) -> Any:
        created = self._call(model, "create", args={"vals_list": [{}]}, context=context, mo_id=mo_id)
        wizard_id = created[0] if isinstance(created, list) and created else created
        if not isinstance(wizard_id, int) or isinstance(wizard_id, bool):
            raise OdooBadResponse(f"{model}/create", f"expected the new wizard's id, got {created!r:.80}")
        return self._call(model, action, ids=[wizard_id], context=context, mo_id=mo_id)

    def _cancel(self, mo_id: str) -> OdooActionResult:
        self._version()
        mo = self._find_mo(mo_id, ["name", "state"])
        if mo.get("state") == "cancel":
            log.info("MO %s is already cancelled in Odoo", mo_id, extra={"mo_id": mo_id})
            return OdooActionResult(mo_id, "cancel", "already cancelled")
        if mo.get("state") == "done":
            raise OdooValidationError("mrp.production/action_cancel", "the MO is already done and cannot be cancelled",
                                      mo_id)
        self._call("mrp.production", "action_cancel", ids=[int(mo["id"])], mo_id=mo_id)
        log.info("Cancelled MO %s in Odoo", mo_id, extra={"mo_id": mo_id})
        return OdooActionResult(mo_id, "cancel", "cancelled")


# ---- helpers ----------------------------------------------------------------------------------------------


def _unit(units: Mapping[int, Unit], uom_id: int | None, mo_id: str, what: str) -> Unit:
    unit = units.get(uom_id if uom_id is not None else -1)
    if unit is None:
        raise OdooApplicationError("uom.uom", f"the unit of {what} is not a weight the app can convert to kg; "
                                              "nothing was written", mo_id)
    return unit


def _silo_kg(consumption: Mapping[Silo | str, float]) -> dict[Silo, float]:
    from hmi.odoo.mapping import silo_for_equipment_code

    result: dict[Silo, float] = {}
    for key, kg in consumption.items():
        silo = key if isinstance(key, Silo) else silo_for_equipment_code(key)
        if silo is None:
            raise ValueError(f"{key!r} is not a silo or tank")
        result[silo] = result.get(silo, 0.0) + max(_finite(kg, silo.label), 0.0)
    return result


def _finite(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _require_name(mo_id: str) -> str:
    if not isinstance(mo_id, str) or not mo_id.strip():
        raise ValueError("mo_id must be a non-empty MO name such as 'WH/MO/00012'")
    return mo_id.strip()


def _require_list(value: Any, route: str) -> list:
    if not isinstance(value, list):
        raise OdooBadResponse(route, f"expected a list, got {type(value).__name__}")
    return value


def _warning_lines(context: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    lines = []
    for line in context.get("default_mrp_consumption_warning_line_ids") or []:
        if isinstance(line, list) and len(line) == 3 and isinstance(line[2], Mapping):
            lines.append(line[2])
    return lines


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
