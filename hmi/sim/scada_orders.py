"""The manufacturing orders of the fake grt_scada Odoo and what the addon's routes do to them.

No HTTP, sessions or faults here: hmi.sim.odoo's ``FakeOdoo`` checks the session, holds its lock around
every call and records what it received; this module is the route logic of grt_scada on the seeded MOs
(hmi.sim.odoo_catalogue): the MO list, the consumption push, material consumption, mark-done and cancel.
Not thread-safe on its own.
"""

from __future__ import annotations

import copy
import math
from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence

from hmi.sim.odoo_catalogue import ODOO_DATETIME, FakeMo, seed_mos

_TARGET_QTY_KEYS = ("product_qty", "quantity_to_produce", "qty_to_produce", "target_produksi", "target_production")
_FINISHED_QTY_KEYS = ("quantity", "finished_qty", "qty_finished", "qty_producing", "weight_finished_goods",
                      "actual_weight_finished_goods", "actual_weight_quantity_finished_goods")


class ScadaOrders:
    """The MOs one FakeOdoo serves (seeded again on every reset) and the equipment they refer to."""

    def __init__(self, mo_count: int, seed: int, mo_name_format: str, lines: Sequence[str],
                 equipment: dict[str, dict]) -> None:
        self.equipment = equipment
        self._mos: dict[str, FakeMo] = {mo.name: mo for mo in seed_mos(mo_count, seed, mo_name_format)}
        for index, mo in enumerate(self._mos.values()):
            if lines:
                mo.line = lines[index % len(lines)]
        self._extra_mo_json: list[dict] = []

    def fake_mos(self) -> list[FakeMo]:
        """The MOs themselves (live: a bench may reshape their moves before the fake starts)."""
        return list(self._mos.values())

    def view(self, name: str) -> dict:
        """One MO as mo-list-detailed would show it, whatever its state (KeyError if unknown)."""
        return self._mo_json(self._mos[name], with_internal=True)

    def views(self) -> list[dict]:
        return [self._mo_json(mo, with_internal=True) for mo in self._mos.values()]

    def add_mo_json(self, raw: dict) -> None:
        """Serve an extra, arbitrary MO object in mo-list-detailed (for tests of malformed MOs)."""
        self._extra_mo_json.append(copy.deepcopy(raw))

    # ---- grt_scada behaviour ------------------------------------------------------------------------------

    def mo_list(self, params: Mapping[str, Any]) -> dict:
        try:
            limit = int(params.get("limit", 10))
            offset = int(params.get("offset", 0))
        except (TypeError, ValueError):
            return {"status": "error", "message": "limit and offset must be integers"}
        states = params.get("states") or ["confirmed"]
        if isinstance(states, str):
            states = [s.strip() for s in states.split(",") if s.strip()]
        # order='date_planned_start asc, id desc'
        selected = sorted((mo for mo in self._mos.values() if mo.state in states),
                          key=lambda mo: (mo.date_planned_start, -mo.mo_db_id))
        data = [self._mo_json(mo) for mo in selected[offset:offset + limit]]
        data.extend(copy.deepcopy(self._extra_mo_json))
        return {"status": "success", "count": len(data), "data": data}

    def update_with_consumptions(self, payload: Mapping[str, Any], partial_errors: Sequence[str]) -> dict:
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        if mo.state in ("done", "cancel"):
            return {"status": "error", "message": f"Cannot update MO {mo.name} in state '{mo.state}'"}
        result: dict[str, Any] = {"status": "success", "mo_id": mo.name}
        errors: list[str] = []
        consumed_items: list[dict] = []
        for key, value in payload.items():
            if key in ("mo_id", "jsonrpc", "method", "id", "params"):
                continue
            quantity = _as_quantity(value)
            if quantity is None:
                errors.append(f"{key}: Invalid quantity {value!r}")
                continue
            if key in _TARGET_QTY_KEYS:
                mo.product_qty = quantity
                result["updated_quantity"] = quantity
            elif key in _FINISHED_QTY_KEYS:
                mo.qty_producing = quantity
                result["updated_finished_qty"] = quantity
            elif key not in self.equipment:
                errors.append(f"{key}: Equipment not found")
            else:
                item = _replace_consumption(mo, key, quantity, self.equipment[key]["name"])
                if item is None:
                    errors.append(f"{key}: No raw material move for this equipment in MO {mo.name}")
                else:
                    consumed_items.append(item)
        errors.extend(partial_errors)
        if mo.state == "confirmed" and (consumed_items or mo.qty_producing):
            mo.state = "progress"  # as Odoo does once something is produced/consumed
        result.update(message="MO updated with some errors" if errors else "MO updated successfully",
                      mo_state=mo.state, consumed_items=consumed_items)
        if errors:
            result["errors"] = errors
        return result

    def material_consumption(self, payload: Mapping[str, Any]) -> dict:
        """The addon's material-consumption: one product's quantity onto the MO's raw moves of that product."""
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        if mo.state in ("done", "cancel"):
            return {"status": "error", "message": f"Cannot update MO {mo.name} in state '{mo.state}'"}
        product_id = payload.get("product_id")
        quantity = _as_quantity(payload.get("quantity"))
        if quantity is None or quantity < 0:
            return {"status": "error", "message": f"Invalid quantity {payload.get('quantity')!r}"}
        mode = payload.get("update_mode") or "add"
        if mode not in ("add", "replace"):
            return {"status": "error", "message": f"update_mode must be 'add' or 'replace', got {mode!r}"}
        moves = [m for m in mo.moves if m.product_id == product_id]
        if not moves:
            return {"status": "error", "message": f"Product {product_id!r} is not a component of MO {mo.name}"}
        remaining = quantity if mode == "replace" else quantity + sum(m.quantity_done for m in moves)
        for index, move in enumerate(moves):
            last = index == len(moves) - 1
            move.quantity_done = remaining if last else min(remaining, move.bom_qty)
            remaining -= move.quantity_done
        if mo.state == "confirmed":
            mo.state = "progress"
        return {"status": "success", "message": "Material consumption recorded", "mo_id": mo.name,
                "mo_state": mo.state, "product_id": product_id, "applied_qty": quantity,
                "move_ids": [m.move_id for m in moves]}

    def mark_done(self, payload: Mapping[str, Any]) -> dict:
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        finished_qty = payload.get("finished_qty")
        if finished_qty is None:
            return {"status": "error", "message": "finished_qty is required"}
        quantity = _as_quantity(finished_qty)
        if quantity is None:
            return {"status": "error", "message": "finished_qty must be a number"}
        if quantity <= 0:
            return {"status": "error", "message": "finished_qty must be > 0"}
        if mo.state in ("done", "cancel"):
            return {"status": "error", "message": "No finished product move found for this MO"}
        date_end = payload.get("date_end_actual")
        if date_end:
            try:
                datetime.strptime(str(date_end), "%Y-%m-%d %H:%M:%S")
            except ValueError:
                return {"status": "error",
                        "message": f"Error: '{date_end}' does not match format '%Y-%m-%d %H:%M:%S'"}
            mo.date_finished = str(date_end)
        mo.qty_producing = quantity
        mo.state = "done"
        return {"status": "success", "message": "Manufacturing order marked as done", "mo_id": mo.name,
                "auto_consumed": 0, "materials": []}

    def cancel(self, payload: Mapping[str, Any]) -> dict:
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        if mo.state == "done":
            return {"status": "error", "message": f"Cannot cancel MO {mo.name}: it is already done"}
        mo.state = "cancel"
        return {"status": "success", "message": "MO cancelled successfully", "mo_id": mo.name, "mo_state": mo.state}

    def _find_mo(self, payload: Mapping[str, Any]) -> tuple[FakeMo, None] | tuple[None, dict]:
        name = payload.get("mo_id")
        if not name:
            return None, {"status": "error", "message": "mo_id is required"}
        mo = self._mos.get(str(name))
        if mo is None:
            return None, {"status": "error", "message": f"Manufacturing order {name} not found"}
        return mo, None

    def set_mo_line(self, names: Iterable[str], line: str) -> None:
        """Move these MOs to another batching line (the MO-level equipment code)."""
        for name in names:
            self._mos[name].line = line

    def clone_mo(self, name: str, new_name: str, line: str) -> None:
        """Serve a copy of MO ``name`` (same product, BoM and plan, nothing consumed) as ``new_name`` on
        ``line``: two lines' MOs whose names differ only where the PLC's MO field cannot show it."""
        source = self._mos[name]
        clone = copy.deepcopy(source)
        clone.name = new_name
        clone.line = line
        clone.mo_db_id = max(mo.mo_db_id for mo in self._mos.values()) + 1
        for move in clone.moves:
            move.quantity_done = 0.0
        self._mos[new_name] = clone

    def set_units(self, name: str, components: Mapping[str, tuple[float, str]], mo_uom: str | None = None,
                  mo_qty: float | None = None) -> None:
        """Book MO ``name``'s components in other units: equipment code or product name -> (to_consume, uom)."""
        mo = self._mos[name]
        for move in mo.moves:
            for key in (move.equipment_code, move.product_name):
                if key in components:
                    move.bom_qty, move.uom = components[key]
        if mo_uom is not None:
            mo.uom = mo_uom
        if mo_qty is not None:
            mo.product_qty = mo_qty

    def _mo_json(self, mo: FakeMo, with_internal: bool = False) -> dict:
        plc = self.equipment[mo.line]
        components = []
        for move in mo.moves:
            components.append({
                "product_tmpl_id": move.product_id, "product_id": move.product_id,
                "product_name": move.product_name, "to_consume": move.bom_qty, "reserved": 0.0,
                "consumed": min(move.quantity_done, move.bom_qty),  # the addon caps at the BoM quantity
                "uom": move.uom, "equipment": copy.deepcopy(self.equipment[move.equipment_code]),
            })
        data = {
            "mo_id": mo.name,
            "reference": mo.origin,
            "state": mo.state,
            "schedule_start": mo.date_planned_start.strftime(ODOO_DATETIME),
            "schedule_end": mo.date_planned_finished.strftime(ODOO_DATETIME),
            "equipment": copy.deepcopy(plc),
            "product_tmpl_id": mo.product_id,
            "product_id": mo.product_id,
            "product_name": mo.product_name,
            "quantity": mo.product_qty,
            "produced_qty": mo.qty_producing,
            "uom": mo.uom,
            "bom_id": mo.bom_id,
            "bom_code": mo.bom_code,
            "bom_components": [
                {"product_tmpl_id": m.product_id, "product_id": m.product_id, "product_name": m.product_name,
                 "quantity": m.bom_qty, "uom": m.uom} for m in mo.moves
            ],
            "components_consumption": components,
        }
        if with_internal:  # only on /fake/mos: the uncapped values a test wants to compare with what it sent
            data["fake"] = {"date_finished": mo.date_finished,
                            "quantity_done": {m.equipment_code: 0.0 for m in mo.moves}}
            for m in mo.moves:
                data["fake"]["quantity_done"][m.equipment_code] += m.quantity_done
            data["fake"]["quantity_done_by_product"] = {m.product_name: m.quantity_done for m in mo.moves}
        return data


def _as_quantity(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # the addon float()s whatever it gets
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _replace_consumption(mo: FakeMo, code: str, quantity: float, equipment_name: str) -> dict | None:
    """REPLACE mode of the addon: reset the equipment's raw moves, fill them in order, overconsume on the last."""
    moves = [m for m in mo.moves if m.equipment_code == code]
    if not moves:
        return None
    remaining = quantity
    for index, move in enumerate(moves):
        last = index == len(moves) - 1
        move.quantity_done = remaining if last else min(remaining, move.bom_qty)
        remaining -= move.quantity_done
    return {"equipment_code": code, "equipment_name": equipment_name, "applied_qty": quantity,
            "move_ids": [m.move_id for m in moves], "products": [m.product_name for m in moves]}

