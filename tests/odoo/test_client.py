"""OdooClient against the fake Odoo over real loopback sockets: happy path and every error class."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

import pytest

from hmi.domain import Silo
from hmi.odoo import (
    AsyncOdooClient,
    OdooAddonMissing,
    OdooApplicationError,
    OdooAuthError,
    OdooBadResponse,
    OdooClient,
    OdooError,
    OdooPartialError,
    OdooRpcError,
    OdooServerError,
    OdooSessionExpired,
    OdooTimeout,
    OdooUnreachable,
)
from hmi.sim.odoo import DEFAULT_DB, DEFAULT_LOGIN, FakeOdoo

SECRET = "s3cr3t-Pa55word"


# ---- happy path --------------------------------------------------------------------------------------------


def test_login_returns_uid_and_records_contact(client: OdooClient) -> None:
    assert client.last_contact is None
    assert client.login() == 2
    assert client.last_contact is not None and client.last_error == ""
    assert datetime.now(timezone.utc) - client.last_contact < timedelta(seconds=5)


def test_fetch_maps_confirmed_mos_oldest_first(client: OdooClient) -> None:
    result = client.fetch_mos(limit=10)
    assert result.received == 10 and result.rejected == ()
    # date_planned_start asc, id desc: MOs 1 and 2 share a start, so 00002 comes first.
    assert [m.mo_id for m in result.mos[:4]] == ["WH/MO/00002", "WH/MO/00001", "WH/MO/00004", "WH/MO/00003"]
    first = result.mos[0]
    assert first.product_name.startswith("[10") and first.quantity > 0
    assert first.equipment_code == "PLC01"
    assert first.targets, "every seeded MO has silo components"
    assert all(isinstance(s, Silo) for s in first.targets)
    assert first.unmapped_components, "every seeded MO has PLC01 additives"


def test_fetch_pages_with_offset(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    page1 = client.fetch_mos(limit=30)
    page2 = client.fetch_mos(limit=30, offset=30)
    ids = [m.mo_id for m in page1.mos + page2.mos]
    assert len(ids) == 42 == len(set(ids))


def test_push_is_recorded_with_equipment_codes_and_moves_mo_to_progress(
    client: OdooClient, fake_odoo: FakeOdoo
) -> None:
    order = client.fetch_mos(limit=1).mos[0]
    actuals = {silo: round(target.target_kg * 0.99, 2) for silo, target in order.targets.items()}
    zero_silo = next(iter(actuals))
    actuals[zero_silo] = 0.0  # zero values are not sent
    receipt = client.push_consumption(order.mo_id, 998.5, actuals)

    assert receipt.mo_state == "progress"
    [push] = fake_odoo.pushes
    body = push["body"]
    assert body["mo_id"] == order.mo_id and body["quantity"] == 998.5
    expected = {silo.odoo_code: kg for silo, kg in actuals.items() if kg > 0}
    assert {k: v for k, v in body.items() if k not in ("mo_id", "quantity")} == expected
    assert zero_silo.odoo_code not in body
    assert "jsonrpc" not in body, "the push is a bare JSON body, as the origin sent it"
    assert receipt.applied == expected
    # Default fetch (states ['confirmed']) no longer returns it; asking for 'progress' too does.
    assert order.mo_id not in [m.mo_id for m in client.fetch_mos(limit=50).mos]
    both = client.fetch_mos(limit=50, states=["confirmed", "progress"])
    assert order.mo_id in [m.mo_id for m in both.mos]


def test_push_without_finished_qty_omits_quantity(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    order = client.fetch_mos(limit=1).mos[0]
    silo = next(iter(order.targets))
    client.push_consumption(order.mo_id, 0.0, {silo.odoo_code: 12.5})
    assert "quantity" not in fake_odoo.pushes[0]["body"]


def test_mark_done_sends_utc_date_and_closes_mo(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    when = datetime(2026, 3, 2, 14, 30, 5, tzinfo=timezone(timedelta(hours=7)))
    receipt = client.mark_done("WH/MO/00005", 1001.25, when)
    assert receipt.message == "Manufacturing order marked as done"
    [record] = fake_odoo.mark_dones
    assert record["body"]["date_end_actual"] == "2026-03-02 07:30:05"
    assert record["body"]["finished_qty"] == 1001.25 and record["body"]["auto_consume"] is False
    assert fake_odoo.mo("WH/MO/00005")["state"] == "done"


def test_cancel_reads_status_inside_result(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    receipt = client.cancel("WH/MO/00006")
    assert receipt.mo_state == "cancel"
    assert fake_odoo.cancels[0]["mo_id"] == "WH/MO/00006"
    assert fake_odoo.mo("WH/MO/00006")["state"] == "cancel"


async def test_async_facade_runs_off_the_loop(fake_odoo: FakeOdoo) -> None:
    odoo = AsyncOdooClient(fake_odoo.base_url, DEFAULT_DB, DEFAULT_LOGIN, "admin", timeout=5.0)
    result = await odoo.fetch_mos(limit=3)
    assert len(result.mos) == 3
    receipt = await odoo.cancel(result.mos[0].mo_id)
    assert receipt.mo_state == "cancel"
    assert odoo.last_error == "" and odoo.last_contact is not None
    await odoo.close()


# ---- transport errors --------------------------------------------------------------------------------------


def test_connection_refused_on_a_closed_port(free_port: int) -> None:
    odoo = OdooClient(f"http://127.0.0.1:{free_port}", DEFAULT_DB, DEFAULT_LOGIN, SECRET, timeout=2.0)
    with pytest.raises(OdooUnreachable, match="connection refused") as caught:
        odoo.fetch_mos(limit=5)
    assert "ODOO_BASE_URL" in str(caught.value)
    assert odoo.last_error == str(caught.value) and odoo.last_contact is None


def test_timeout_with_a_slow_fake(fake_odoo: FakeOdoo) -> None:
    odoo = OdooClient(fake_odoo.base_url, DEFAULT_DB, DEFAULT_LOGIN, "admin", timeout=0.3)
    odoo.login()
    fake_odoo.set_faults(delay_seconds=2.0)
    started = time.monotonic()
    with pytest.raises(OdooTimeout, match="ODOO_TIMEOUT_SECONDS"):
        odoo.fetch_mos(limit=5)
    assert time.monotonic() - started < 1.5


def test_addon_missing_gives_html_404(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    fake_odoo.set_faults(addon_missing=True)
    with pytest.raises(OdooAddonMissing, match="grt_scada is not installed") as caught:
        client.fetch_mos(limit=5)
    assert "/api/scada/mo-list-detailed" in str(caught.value)


def test_malformed_json(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    client.login()
    fake_odoo.set_faults(malformed_json=True)
    with pytest.raises(OdooBadResponse, match="not JSON"):
        client.fetch_mos(limit=5)


def test_http_500(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    fake_odoo.set_faults(http_500=True)
    with pytest.raises(OdooServerError, match="HTTP 500") as caught:
        client.login()
    assert caught.value.status == 500


# ---- Odoo-level errors -------------------------------------------------------------------------------------


def test_rpc_error_shows_name_and_message(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    fake_odoo.set_faults(rpc_error="Lot/Serial Number missing")
    with pytest.raises(OdooRpcError) as caught:
        client.fetch_mos(limit=5)
    assert caught.value.name == "odoo.exceptions.UserError"
    assert "odoo.exceptions.UserError: Lot/Serial Number missing" in str(caught.value)


def test_wrong_credentials_never_show_the_password(fake_odoo: FakeOdoo, caplog: pytest.LogCaptureFixture) -> None:
    odoo = OdooClient(fake_odoo.base_url, DEFAULT_DB, DEFAULT_LOGIN, SECRET, timeout=5.0)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(OdooAuthError, match="ODOO_PASSWORD") as caught:
            odoo.fetch_mos(limit=5)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(odoo) and SECRET not in repr(AsyncOdooClient("http://x", "d", "u", SECRET))
    assert SECRET not in caplog.text
    assert SECRET not in odoo.last_error


def test_wrong_credentials_fault(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    fake_odoo.set_faults(wrong_credentials=True)
    with pytest.raises(OdooAuthError):
        client.login()


def test_status_error_inside_result(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    client.cancel("WH/MO/00003")
    with pytest.raises(OdooApplicationError, match="WH/MO/00003") as caught:
        client.push_consumption("WH/MO/00003", 1000.0, {"silo101": 10.0})
    assert "cancel" in caught.value.odoo_message
    assert fake_odoo.pushes[0]["result"]["status"] == "error"  # recorded even when refused


def test_application_error_fault_on_fetch(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    fake_odoo.set_faults(application_error="Database busy")
    with pytest.raises(OdooApplicationError, match="Database busy"):
        client.fetch_mos(limit=5)


def test_unknown_equipment_gives_partial_error(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    with pytest.raises(OdooPartialError) as caught:
        client.push_consumption("WH/MO/00001", 1000.0, {"silo999": 5.0, Silo.A: 10.0})
    assert caught.value.errors == ("silo999: Equipment not found",)
    assert "silo999: Equipment not found" in str(caught.value)


def test_partial_errors_fault(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    fake_odoo.set_faults(partial_errors=["silo105: stock move locked"])
    order = client.fetch_mos(limit=1).mos[0]
    silo = next(iter(order.targets))
    with pytest.raises(OdooPartialError) as caught:
        client.push_consumption(order.mo_id, 1000.0, {silo: 10.0})
    assert caught.value.errors == ("silo105: stock move locked",)


def test_session_expiry_relogs_once_and_succeeds(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    client.login()
    fake_odoo.expire_sessions(1)
    assert len(client.fetch_mos(limit=3).mos) == 3
    assert client.last_error == ""


def test_session_expiry_twice_is_an_error(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    client.login()
    fake_odoo.expire_sessions(2)
    with pytest.raises(OdooSessionExpired, match="again right after a fresh login") as caught:
        client.fetch_mos(limit=3)
    assert caught.value.code == 100
    assert client.fetch_mos(limit=3).mos  # and the next cycle works again


def test_every_error_is_an_odoo_error() -> None:
    for error in (OdooUnreachable, OdooTimeout, OdooAddonMissing, OdooBadResponse, OdooRpcError, OdooAuthError,
                  OdooApplicationError, OdooPartialError, OdooServerError, OdooSessionExpired):
        assert issubclass(error, OdooError)


def test_bad_mo_in_the_response_is_skipped_and_named(client: OdooClient, fake_odoo: FakeOdoo) -> None:
    fake_odoo.add_mo_json({"mo_id": "WH/MO/09999", "quantity": "lots", "components_consumption": []})
    result = client.fetch_mos(limit=5)
    assert len(result.mos) == 5
    assert [(r.mo_id, r.field) for r in result.rejected] == [("WH/MO/09999", "quantity")]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.push_consumption("WH/MO/00001", float("nan"), {}), "finished_qty"),
        (lambda c: c.push_consumption("WH/MO/00001", 1.0, {"silo101": float("inf")}), "silo101"),
        (lambda c: c.push_consumption("", 1.0, {}), "mo_id"),
        (lambda c: c.mark_done("WH/MO/00001", 0, datetime.now()), "finished_qty"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client: OdooClient, fake_odoo: FakeOdoo, call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call(client)
    assert fake_odoo.pushes == [] and fake_odoo.mark_dones == []


@pytest.mark.parametrize(("base_url", "timeout"), [("odoo.local:8069", 10.0), ("http://127.0.0.1:1", 0)])
def test_constructor_refuses_unusable_settings(base_url: str, timeout: float) -> None:
    with pytest.raises(ValueError):
        OdooClient(base_url, DEFAULT_DB, DEFAULT_LOGIN, SECRET, timeout=timeout)
