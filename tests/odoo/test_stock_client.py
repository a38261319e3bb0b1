"""The stock Odoo client against the fake stock Odoo on a real loopback socket (16, 18 over JSON-RPC, 19 over JSON-2)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Iterator

import pytest

from hmi.domain import Silo
from hmi.odoo import AsyncOdooClient, OdooAuthError, OdooBadResponse, OdooServerError, OdooTimeout
from hmi.odoo.errors import OdooAccessRights, OdooMoCancelled, OdooRecordGone, OdooValidationError
from hmi.odoo.rpc import AutoTransport, Json2Transport, JsonRpcTransport
from hmi.odoo.stock_client import StockOdooClient
from hmi.silo_assignment import parse_entries
from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT, PREMIX_CODE
from hmi.sim.stock_http import FakeStockOdoo

ASSIGNMENT = parse_entries(DEMO_SILO_ASSIGNMENT)


@pytest.fixture(params=[18, 19, 16], ids=["odoo18-jsonrpc", "odoo19-json2", "odoo16-jsonrpc"])
def fake(request) -> Iterator[FakeStockOdoo]:
    server = FakeStockOdoo(port=0, version=request.param, mo_count=12)
    server.start()
    yield server
    server.stop()


def transport_for(fake: FakeStockOdoo, secret: str | None = None, timeout: float = 5.0):
    if fake.version >= 19:
        return Json2Transport(fake.base_url, fake.db, fake.login, secret or fake.api_key, timeout)
    return JsonRpcTransport(fake.base_url, fake.db, fake.login, secret or "admin", timeout)


def make_client(fake: FakeStockOdoo, assignment=ASSIGNMENT, **options) -> StockOdooClient:
    options.setdefault("picking_type", "Manufacturing")
    return StockOdooClient(transport_for(fake), lambda: assignment, **options)


def dosed(order, factor: float = 1.0) -> dict[Silo, float]:
    return {silo: target.target_kg * factor for silo, target in order.targets.items()}


# ---- fetch ---------------------------------------------------------------------------------------------------


def test_fetch_by_operation_type_oldest_first_and_leaves_out_unassigned_components(fake):
    client = make_client(fake)
    fetched = client.fetch_mos(6)
    names = [mo.mo_id for mo in fetched.mos]
    # WH/MO/00005 and 00010 belong to the other line's operation type; 00003 has a premix in no silo.
    # The left-out MO does not take a batch's place: the next page fills the sixth.
    assert names == ["WH/MO/00001", "WH/MO/00002", "WH/MO/00004", "WH/MO/00006", "WH/MO/00007", "WH/MO/00008"]
    [rejected] = fetched.rejected
    assert rejected.mo_id == "WH/MO/00003" and PREMIX_CODE in rejected.reason and "no silo" in rejected.reason
    assert str(rejected) == f"MO WH/MO/00003: component [{PREMIX_CODE}] PREMIX LAYER is in no silo (assign it in " \
                           "the Silos dialog)"
    order = fetched.mos[0]
    view = fake.mo_view("WH/MO/00001")
    assert order.quantity == view["product_qty"]
    fml = next((m for m in view["moves"] if m["product_code"] == "RM-FML"), None)
    if fml is not None:  # stocked in grams: the PLC gets kg
        assert order.targets[Silo.LQ115].target_kg == pytest.approx(fml["demand"] / 1000)
    date_field = "date_planned_start" if fake.version == 16 else "date_start"
    first, second = [c for c in fake.calls if c["model"] == "mrp.production" and c["method"] == "search_read"]
    assert first["kwargs"]["order"] == f"{date_field} asc, id asc"
    assert (first["kwargs"]["offset"], second["kwargs"]["offset"]) == (0, 6)


def test_fetch_by_operation_id_work_center_and_only_ready(fake):
    by_id = make_client(fake, picking_type="8").fetch_mos(10)
    by_center = make_client(fake, picking_type="", workcenter="MIX1").fetch_mos(10)
    assert [m.mo_id for m in by_id.mos] == [m.mo_id for m in by_center.mos]
    ready = make_client(fake, only_ready=True).fetch_mos(10)
    assert ready.mos and all(int(m.mo_id[-5:]) % 2 == 1 for m in ready.mos)  # odd MOs are reserved in the seed


def test_component_without_reference_or_weight_unit_is_left_out(fake):
    fake.state.records["product.product"][203]["default_code"] = False  # RM-CORN loses its reference
    fake.state.records["uom.uom"][12]["category_id"] = 1  # kg becomes a "Unit"
    fake.state.records["uom.uom"][12]["name"] = "Units"
    fetched = make_client(fake).fetch_mos(10)
    assert not fetched.mos
    reasons = " ".join(r.reason for r in fetched.rejected)
    assert "not a weight" in reasons


def test_ambiguous_operation_type_name_is_named(fake):
    fake.state.records["stock.picking.type"][21]["name"] = "Manufacturing"
    with pytest.raises(OdooValidationError, match="matches 2 operation types"):
        make_client(fake).fetch_mos(5)


# ---- write-back ----------------------------------------------------------------------------------------------


def test_write_back_sets_every_raw_move_and_marks_done(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    actual = dosed(order, 1.0)
    first_silo = next(iter(actual))
    actual[first_silo] = 0.0  # a silo the PLC dosed nothing from is still written (0), never left unpicked
    client.push_consumption(order.mo_id, order.quantity, actual)
    result = client.mark_done(order.mo_id, order.quantity, datetime(2026, 3, 2, 8))
    assert result.mo_state == "done"
    view = fake.mo_view(order.mo_id)
    assert view["state"] == "done" and view["qty_produced"] == pytest.approx(order.quantity)
    assert all(m["state"] == "done" for m in view["moves"])
    if fake.version >= 17:
        assert all(m["picked"] for m in view["moves"])
        move_writes = [c for c in fake.calls if c["model"] == "stock.move" and c["method"] == "write"]
        assert all(c["context"] == {"force_manual_consumption": True} for c in move_writes)
    else:
        marks = [c for c in fake.calls if c["method"] == "button_mark_done"]
        assert marks[0]["context"].get("skip_immediate") is True


def test_consumption_warning_is_confirmed_and_logged(fake, caplog):
    caplog.set_level(logging.INFO, "hmi.odoo")
    client = make_client(fake)
    order = client.fetch_mos(4).mos[2]  # WH/MO/00004: BoM consumption "warning"
    assert order.mo_id == "WH/MO/00004"
    client.push_consumption(order.mo_id, order.quantity, dosed(order, 1.1))
    result = client.mark_done(order.mo_id, order.quantity, datetime(2026, 3, 2, 8))
    assert "consumption deviation confirmed" in result.message
    assert fake.mo_view(order.mo_id)["state"] == "done"
    warning = next(r.getMessage() for r in caplog.records if "consumption differs from the BoM" in r.getMessage())
    first_code = fake.mo_view(order.mo_id)["moves"][0]["product_code"]
    assert f"{first_code} " in warning and "consumed /" in warning and "expected" in warning
    assert [c["method"] for c in fake.calls if c["model"] == "mrp.consumption.warning"] == ["create", "action_confirm"]


@pytest.mark.parametrize("choice", ["close", "backorder"])
def test_backorder_choice(fake, choice):
    client = make_client(fake, backorder=choice)
    order = client.fetch_mos(1).mos[0]
    produced = order.quantity * 0.6
    client.push_consumption(order.mo_id, produced, dosed(order, 0.6))
    result = client.mark_done(order.mo_id, produced, datetime(2026, 3, 2, 8))
    assert result.mo_state == "done"
    names = {mo["name"]: mo for mo in fake.all_mos()}
    if choice == "close":
        assert names[order.mo_id]["state"] == "done" and f"{order.mo_id}-002" not in names
    else:
        assert names[f"{order.mo_id}-001"]["state"] == "done"
        rest = names[f"{order.mo_id}-002"]
        assert rest["state"] == "confirmed" and rest["product_qty"] == pytest.approx(order.quantity - produced)
        # The renamed MO is still found by its id: a repeated write-back is a no-op, not "record gone".
        assert client.push_consumption(order.mo_id, produced, dosed(order)).message == "already done in Odoo"


def test_already_done_in_odoo_counts_as_pushed_without_writes(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    fake.set_mo_state(order.mo_id, "done")
    calls_before = len(fake.calls)
    assert client.push_consumption(order.mo_id, order.quantity, dosed(order)).mo_state == "done"
    assert client.mark_done(order.mo_id, order.quantity, datetime(2026, 3, 2)).mo_state == "done"
    assert not [c for c in fake.calls[calls_before:] if c["method"] in ("write", "button_mark_done")]


def test_cancelled_in_odoo_is_an_error_naming_the_mo(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    fake.set_mo_state(order.mo_id, "cancel")
    with pytest.raises(OdooMoCancelled, match=f"MO {order.mo_id} was cancelled in Odoo"):
        client.push_consumption(order.mo_id, order.quantity, dosed(order))
    assert order.mo_id in client.last_error


def test_mark_done_never_with_zero_produced(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    with pytest.raises(ValueError):
        client.mark_done(order.mo_id, 0.0, datetime(2026, 3, 2))
    with pytest.raises(Exception, match="produced quantity in Odoo is 0"):
        client.mark_done(order.mo_id, order.quantity, datetime(2026, 3, 2))  # nothing pushed yet
    assert fake.mo_view(order.mo_id)["state"] == "confirmed"
    assert not [c for c in fake.calls if c["method"] == "button_mark_done"]


def test_dosed_silo_not_on_the_mo_writes_nothing(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    unused = next(s for s in Silo if s not in order.targets)
    with pytest.raises(Exception, match=f"silo\\(s\\) {unused.label}"):
        client.push_consumption(order.mo_id, order.quantity, {**dosed(order), unused: 5.0})
    assert not [c for c in fake.calls if c["method"] == "write"]


def test_cancel_once(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    assert client.cancel(order.mo_id).mo_state == "cancel"
    assert client.cancel(order.mo_id).message == "already cancelled"
    assert len([c for c in fake.calls if c["method"] == "action_cancel"]) == 1


# ---- errors --------------------------------------------------------------------------------------------------


def test_wrong_credentials(fake):
    client = StockOdooClient(transport_for(fake, secret="wrong-secret"), lambda: ASSIGNMENT, picking_type="8")
    with pytest.raises(OdooAuthError) as caught:
        client.fetch_mos(1)
    text = str(caught.value)
    assert "wrong-secret" not in text and "refused the login" in text
    assert ("ODOO_API_KEY" in text)


def test_credentials_expiring_mid_run_reauthenticate_once(fake):
    client = make_client(fake)
    client.fetch_mos(1)
    fake.set_faults(expire_credentials=1)
    assert client.fetch_mos(1).mos  # one refusal, one retry: invisible to the caller
    fake.set_faults(wrong_credentials=True)
    with pytest.raises(OdooAuthError):
        client.fetch_mos(1)


def test_access_rights_name_the_group_and_the_mo(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    fake.set_faults(access_error_model="stock.move")
    with pytest.raises(OdooAccessRights) as caught:
        client.push_consumption(order.mo_id, order.quantity, dosed(order))
    assert "Inventory / User" in str(caught.value) and order.mo_id in str(caught.value)


def test_validation_error_carries_odoo_message_and_mo(fake):
    client = make_client(fake)
    order = client.fetch_mos(1).mos[0]
    client.push_consumption(order.mo_id, order.quantity, dosed(order))
    fake.set_faults(mark_done_user_error="You need to supply a Lot/Serial Number for product")
    with pytest.raises(OdooValidationError, match=f"MO {order.mo_id}: .*Lot/Serial Number"):
        client.mark_done(order.mo_id, order.quantity, datetime(2026, 3, 2))


def test_record_gone(fake):
    client = make_client(fake)
    with pytest.raises(OdooRecordGone, match="WH/MO/99999 no longer exists"):
        client.cancel("WH/MO/99999")


@pytest.mark.parametrize("fault, error", [({"http_500": True}, OdooServerError),
                                          ({"html_instead_of_json": True}, OdooBadResponse),
                                          ({"delay_seconds": 1.0}, OdooTimeout)])
def test_transport_failures(fake, fault, error):
    client = StockOdooClient(transport_for(fake, timeout=0.3), lambda: ASSIGNMENT, picking_type="8")
    fake.set_faults(**fault)
    with pytest.raises(error):
        client.fetch_mos(1)
    assert client.last_error


def test_json2_on_an_odoo_without_it_says_so():
    with FakeStockOdoo(port=0, version=18) as fake:
        client = StockOdooClient(Json2Transport(fake.base_url, fake.db, "admin", "key", 5), lambda: ASSIGNMENT,
                                 picking_type="8")
        with pytest.raises(OdooBadResponse, match="ODOO_API=jsonrpc"):
            client.fetch_mos(1)


@pytest.mark.parametrize("version, key, expected", [(19, "k", "json2"), (19, "", "jsonrpc"), (18, "k", "jsonrpc")])
def test_auto_picks_the_protocol_by_version_and_key(version, key, expected, caplog):
    caplog.set_level(logging.INFO, "hmi.odoo")
    with FakeStockOdoo(port=0, version=version, api_key="k") as fake:
        transport = AutoTransport(fake.base_url, fake.db, "admin", "admin", key, 5)
        client = StockOdooClient(transport, lambda: ASSIGNMENT, picking_type="Manufacturing")
        assert client.fetch_mos(2).mos
        assert transport.protocol == expected
        assert any(f"ODOO_API=auto: Odoo {version}" in r.getMessage() for r in caplog.records)


async def test_async_facade_runs_the_stock_client():
    with FakeStockOdoo(port=0, version=19) as fake:
        odoo = AsyncOdooClient.over(make_client(fake))
        fetched = await odoo.fetch_mos(2)
        assert fetched.mos and odoo.last_contact is not None and odoo.last_error == ""
        assert odoo.protocol == "json2"
        products = await odoo.search_products("corn")
        assert ("RM-CORN", "JAGUNG GILING") in products  # found by its reference; the name is Indonesian
        assert [code for code, _ in await odoo.search_products("RM-CO")] == ["RM-COFFEE", "RM-CORN"]
        await odoo.close()


def test_consumption_warning_then_backorder_wizard_closes_the_mo(fake):
    client = make_client(fake, backorder="close")
    order = client.fetch_mos(4).mos[2]  # WH/MO/00004: BoM consumption "warning"
    produced = order.quantity * 0.98
    client.push_consumption(order.mo_id, produced, dosed(order, 1.01))
    result = client.mark_done(order.mo_id, produced, datetime(2026, 3, 2, 8))
    assert "consumption deviation confirmed" in result.message and "closed without backorder" in result.message
    assert fake.mo_view(order.mo_id)["state"] == "done"
    assert len([c for c in fake.calls if c["model"] == "mrp.consumption.warning" and c["method"] == "create"]) == 1


def test_left_out_mos_do_not_take_the_places_of_usable_ones(fake):
    # Only silos A..D assigned: most MOs are left out; the fetch reads further pages to fill the limit.
    few = parse_entries(DEMO_SILO_ASSIGNMENT[:4])
    client = make_client(fake, assignment=few)
    wide = parse_entries(DEMO_SILO_ASSIGNMENT)
    everything = make_client(fake, assignment=wide).fetch_mos(12)
    usable = [mo.mo_id for mo in everything.mos if set(mo.targets) <= {Silo.A, Silo.B, Silo.C, Silo.D}]
    fetched = client.fetch_mos(2)
    assert [mo.mo_id for mo in fetched.mos] == usable[:2]
    assert len(fetched.rejected) >= 1
