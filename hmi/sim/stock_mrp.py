"""The manufacturing behaviour of the fake stock Odoo 16–19, on top of its records (hmi.sim.stock_records).

mrp.production's actions: action_confirm, action_assign, set_qty_producing (17+), action_cancel and
button_mark_done with its wizards (consumption warning, backorder, 16's immediate production) and context
keys, the 17+ auto-complete at qty_producing 0 and cancellation of unpicked raw moves, backorders. A method
``_<model with _>__<method>`` is what hmi.sim.stock_orm's dispatch calls for a public method of a model.
"""

from __future__ import annotations

import copy
from typing import Any, Mapping

from hmi.sim.stock_records import FakeError, StockRecords


def user_error(message: str) -> FakeError:
    return FakeError("odoo.exceptions.UserError", message, 422)


class StockMrp(StockRecords):
    """The records plus what mrp.production and its wizards do to them. Not thread-safe: the server locks."""

    # ---- stock.move ---------------------------------------------------------------------------------------

    def _new_move(self, move_id: int, product_id: int, demand: float, uom_id: int, production_id: int) -> dict:
        return {"id": move_id, "product_id": product_id, "product_uom_qty": demand, "product_qty": demand,
                "product_uom": uom_id, "state": "confirmed", "location_id": 8,
                "raw_material_production_id": production_id, "manual_consumption": False,
                "should_consume_qty": 0.0, "quantity": 0.0, "quantity_done": 0.0, "picked": False,
                "reserved_availability": 0.0}

    def _done_qty(self, move: dict) -> float:
        return float(move["quantity_done"] if self.version <= 16 else move["quantity"])

    # ---- mrp.production -----------------------------------------------------------------------------------

    def _mrp_production__action_confirm(self, records: list[dict], context: Mapping) -> bool:
        for mo in records:
            if mo["state"] == "draft":
                mo["state"] = "confirmed"
        return True

    def _mrp_production__action_assign(self, records: list[dict], context: Mapping) -> bool:
        for mo in records:
            mo["reservation_state"] = "assigned"
        return True

    def _mrp_production__set_qty_producing(self, records: list[dict], context: Mapping) -> None:
        if self.version <= 16:
            raise FakeError("builtins.AttributeError", "The method 'mrp.production.set_qty_producing' does not exist",
                            404)
        for mo in records:
            ratio = mo["qty_producing"] / mo["product_qty"] if mo["product_qty"] else 0.0
            for move in self._moves(mo):
                if not move["manual_consumption"]:
                    move["quantity"] = round(move["product_uom_qty"] * ratio, 6)
                    move["picked"] = True
        return None

    def _mrp_production__action_cancel(self, records: list[dict], context: Mapping) -> bool:
        for mo in records:
            if mo["state"] == "done":
                raise user_error("Cannot cancel a manufacturing order that is done.")
            mo["state"] = "cancel"
            mo["reservation_state"] = False
            for move in self._moves(mo):
                move["state"] = "cancel"
        return True

    def _moves(self, mo: dict) -> list[dict]:
        return [self.records["stock.move"][m] for m in mo["move_raw_ids"] if m in self.records["stock.move"]]

    def _mrp_production__button_mark_done(self, records: list[dict], context: Mapping) -> Any:
        context = dict(context)
        for mo in records:
            if mo["state"] in ("done", "cancel"):
                raise user_error(f"The manufacturing order {mo['name']} is already {mo['state']}.")
        for mo in records:
            if mo["qty_producing"] <= 0:
                if self.version <= 16:
                    if not any(self._done_qty(m) for m in self._moves(mo)) and not context.get("skip_immediate"):
                        return self._action("mrp.immediate.production", "Immediate Production?",
                                            {"default_mo_ids": [mo["id"]], "skip_immediate": True})
                    if not context.get("skip_immediate"):
                        raise user_error("The quantity to produce must be positive!")
                # 17+: the whole BoM is consumed without a question (the hazard the client avoids).
                self._fill_theoretical(mo)
        for mo in records:
            if mo["consumption"] == "warning" and not context.get("skip_consumption"):
                lines = self._consumption_issues(mo)
                if lines:
                    return self._action("mrp.consumption.warning", "Consumption Warning", {
                        "default_mrp_production_ids": [mo["id"]],
                        "default_mrp_consumption_warning_line_ids": [[0, 0, line] for line in lines],
                        "form_view_ref": False})
        partial = [mo for mo in records if mo["qty_producing"] < mo["product_qty"]]
        if partial and not context.get("skip_backorder"):
            title = "You produced less than the initial demand" if self.version >= 19 else \
                "You produced less than initial demand"
            # Like Odoo, the wizard's context carries the caller's (e.g. skip_consumption after a confirmed warning).
            carried = {k: v for k, v in context.items() if not k.startswith("default_") and k != "form_view_ref"}
            return self._action("mrp.production.backorder", title, {
                **carried,
                "always_backorder_mo_ids": [],
                "default_mrp_production_ids": [mo["id"] for mo in partial],
                "default_mrp_production_backorder_line_ids": [
                    [0, 0, {"mrp_production_id": mo["id"], "to_backorder": True}] for mo in partial]})
        to_backorder = set(context.get("mo_ids_to_backorder") or [])
        backorders = []
        for mo in records:
            if mo["id"] in to_backorder and mo["qty_producing"] < mo["product_qty"]:
                backorders.append(self._split_backorder(mo))
            self._post_done(mo)
        if backorders:
            return {"res_model": "mrp.production", "type": "ir.actions.act_window",
                    "context": {"skip_backorder": False, "mo_ids_to_backorder": None},
                    "views": [[False, "form"]], "view_mode": "form", "res_id": backorders[0]}
        return True

    def _fill_theoretical(self, mo: dict) -> None:
        mo["qty_producing"] = mo["product_qty"]
        for move in self._moves(mo):
            if self.version <= 16:
                move["quantity_done"] = move["product_uom_qty"]
            else:
                move["quantity"] = move["product_uom_qty"]
                move["picked"] = True

    def _consumption_issues(self, mo: dict) -> list[dict]:
        ratio = mo["qty_producing"] / mo["product_qty"] if mo["product_qty"] else 0.0
        lines = []
        for move in self._moves(mo):
            if move["state"] == "cancel":
                continue
            expected = round(move["product_uom_qty"] * ratio, 6)
            consumed = self._done_qty(move)
            if abs(consumed - expected) > 1e-6 * max(1.0, expected):
                lines.append({"mrp_production_id": mo["id"], "product_id": move["product_id"],
                              "consumption": "warning", "product_uom_id": move["product_uom"],
                              "product_consumed_qty_uom": consumed, "product_expected_qty_uom": expected})
        return lines

    def _post_done(self, mo: dict) -> None:
        for move in self._moves(mo):
            if move["state"] == "cancel":
                continue
            if self.version >= 17 and not move["picked"]:
                move["state"] = "cancel"  # 17+: raw moves that are not picked are cancelled
            else:
                move["state"] = "done"
        mo["qty_produced"] = mo["qty_producing"]
        mo["state"] = "done"
        mo["reservation_state"] = False
        mo["date_finished"] = "2026-03-02 12:00:00"

    def _split_backorder(self, mo: dict) -> int:
        rest = mo["product_qty"] - mo["qty_producing"]
        ratio = rest / mo["product_qty"] if mo["product_qty"] else 0.0
        new_id = next(self._ids["mrp.production"])
        base = mo["name"]
        mo["name"], mo["backorder_sequence"] = f"{base}-001", 1
        moves = []
        for move in self._moves(mo):
            move_id = next(self._ids["stock.move"])
            self.records["stock.move"][move_id] = self._new_move(
                move_id, move["product_id"], round(move["product_uom_qty"] * ratio, 6), move["product_uom"], new_id)
            moves.append(move_id)
        self.records["mrp.production"][new_id] = {
            **copy.deepcopy(mo), "id": new_id, "name": f"{base}-002", "product_qty": rest, "qty_producing": 0.0,
            "qty_produced": 0.0, "state": "confirmed", "move_raw_ids": moves, "backorder_sequence": 2}
        mo["product_qty"] = mo["qty_producing"]
        return new_id

    def _action(self, res_model: str, name: str, context: dict) -> dict:
        action_id = {"mrp.consumption.warning": 303, "mrp.production.backorder": 304}.get(res_model, 305)
        action = {"id": action_id, "name": name, "type": "ir.actions.act_window",
                  "xml_id": f"mrp.action_{res_model.replace('.', '_')}", "path": False, "help": False,
                  "binding_model_id": False, "binding_type": "action", "binding_view_types": "list,form",
                  "display_name": name, "view_id": False, "domain": False, "context": context, "res_id": 0,
                  "res_model": res_model, "target": "new", "view_mode": "form", "mobile_view_mode": "kanban",
                  "views": [[False, "form"]], "limit": 80, "groups_id": [], "search_view_id": False,
                  "embedded_action_ids": [], "filter": False}
        if self.version >= 19:  # 19: display_name right after id, group_ids instead of groups_id, and cache
            action = {"id": action_id, "display_name": name,
                      **{("group_ids" if k == "groups_id" else k): v for k, v in action.items() if k != "id"},
                      "cache": True}
        return action

    # ---- wizards ------------------------------------------------------------------------------------------

    def _wizard_mos(self, wizards: list[dict], context: Mapping) -> list[dict]:
        ids: list[int] = []
        for wizard in wizards:
            ids += list((wizard.get("context") or context).get("default_mrp_production_ids")
                        or (wizard.get("context") or context).get("default_mo_ids") or [])
        return [self._existing("mrp.production", i) for i in ids]

    def _mrp_consumption_warning__action_confirm(self, wizards: list[dict], context: Mapping) -> Any:
        ctx = {**dict(context), "skip_consumption": True}
        return self._mrp_production__button_mark_done(self._wizard_mos(wizards, context), ctx)

    def _mrp_consumption_warning__action_set_qty(self, wizards: list[dict], context: Mapping) -> Any:
        mos = self._wizard_mos(wizards, context)
        for mo in mos:
            ratio = mo["qty_producing"] / mo["product_qty"] if mo["product_qty"] else 0.0
            for move in self._moves(mo):
                key = "quantity_done" if self.version <= 16 else "quantity"
                move[key] = round(move["product_uom_qty"] * ratio, 6)
        return self._mrp_production__button_mark_done(mos, {**dict(context), "skip_consumption": True})

    def _mrp_production_backorder__action_backorder(self, wizards: list[dict], context: Mapping) -> Any:
        mos = self._wizard_mos(wizards, context)
        ctx = {**dict(context), "skip_backorder": True, "mo_ids_to_backorder": [mo["id"] for mo in mos]}
        return self._mrp_production__button_mark_done(mos, ctx)

    def _mrp_production_backorder__action_close_mo(self, wizards: list[dict], context: Mapping) -> Any:
        ctx = {**dict(context), "skip_backorder": True, "mo_ids_to_backorder": []}
        return self._mrp_production__button_mark_done(self._wizard_mos(wizards, context), ctx)

    def _mrp_immediate_production__process(self, wizards: list[dict], context: Mapping) -> Any:
        mos = self._wizard_mos(wizards, context)
        for mo in mos:
            self._fill_theoretical(mo)
        return self._mrp_production__button_mark_done(mos, {**dict(context), "skip_immediate": True})
