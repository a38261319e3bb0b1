"""Hand-added components over the admin API: the checklist of a batch, a confirmation with the token."""

from __future__ import annotations

import logging

import httpx

from tests.services.test_hand_add import _mo_with_premix

TOKEN = "s3cret-token"


async def test_checklist_and_confirmation_over_http(make_runtime, fake_odoo, free_port, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=free_port, API_TOKEN=TOKEN)
    await runtime.db(runtime.store.insert_batches, [_mo_with_premix(1)])
    # The actor is the token's role and label; an X-HMI-Actor header is ignored.
    auth = {"Authorization": f"Bearer {TOKEN}", "X-HMI-Actor": "carol"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.api.port}", timeout=10,
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        listed = (await http.get("/api/admin/batches/WH/MO/00001/hand-add")).json()
        assert listed["status"] == "success" and listed["archived"] is False
        assert [(d["product_id"], d["product_name"], d["target_kg"], d["confirmed"]) for d in listed["data"]] == [
            (901, "PREMIX LAYER", 2.5, False), (902, "DEMITOX", 1.0, False)]
        status = (await http.get("/api/admin/batch-status")).json()["data"]["batches"][0]
        assert (status["hand_added_open"], status["hand_added_total"]) == (2, 2)

        url = "/api/admin/batches/WH/MO/00001/hand-add/901/confirm"
        wrong = {"Authorization": "Bearer not-the-token"}
        assert (await http.post(url, json={"weighed_kg": 2.6}, headers=wrong)).status_code == 401
        refused = await http.post(url, json={"weighed_kg": -1}, headers=auth)
        assert refused.status_code == 422 and "cannot be negative" in refused.json()["message"]
        done = (await http.post(url, json={"weighed_kg": 2.6}, headers=auth)).json()
        assert done["status"] == "success"
        assert (done["data"]["actual_kg"], done["data"]["confirmed_by"], done["data"]["source"]) == (
            2.6, "api:engineer (API_TOKEN)", "operator")
        accepted = (await http.post("/api/admin/batches/WH/MO/00001/hand-add/902/confirm",
                                    json={"accept_target": True}, headers=auth)).json()
        assert accepted["data"]["actual_kg"] == 1.0

        status = (await http.get("/api/admin/batch-status")).json()["data"]["batches"][0]
        assert status["hand_added_open"] == 0
        missing = await http.get("/api/admin/batches/WH/MO/09999/hand-add")
        assert missing.status_code == 404

        # Archived with the batch: the history keeps who confirmed what.
        await runtime.admin.clear("carol", plc_was_reset=True)
        archived = (await http.get("/api/admin/batches/WH/MO/00001/hand-add")).json()
        assert archived["archived"] is True
        assert [(d["product_name"], d["actual_kg"], d["confirmed_by"]) for d in archived["data"]] == [
            ("PREMIX LAYER", 2.6, "api:engineer (API_TOKEN)"), ("DEMITOX", 1.0, "api:engineer (API_TOKEN)")]
    assert any("confirmed by api:engineer (API_TOKEN): 2.6 kg" in m for m in caplog.messages)

