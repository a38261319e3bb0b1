"""Three lines on one PostgreSQL, end to end, all as processes: one fake Odoo dealing its MOs to
PLC01, PLC02 and PLC03, one PLC simulator and one `python main.py --headless` per line.

Every MO is fetched, dosed, pushed and archived once, by its own line; a clear on one line,
one line's restart and a PostgreSQL restart leave the other lines' rows, history and log alone.
"""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import pick_free_port
from tools.support.lines import LinePlant, PlantDatabase
from tools.support.postgres import PostgresServer, PostgresUnavailable
from tools.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def plant(tmp_path):
    try:
        server = PostgresServer(pick_free_port()).start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    url = server.create_database("plant")
    plant = LinePlant(url, tmp_path, count=3).start()
    database = PlantDatabase(url)
    try:
        yield plant, database, server
    finally:
        plant.stop()
        database.close()
        server.stop()


def _completed(database: PlantDatabase, code: str) -> int:
    return database.completed_per_line().get(code, 0)


def _healthy(plant: LinePlant) -> bool:
    for line in plant.lines:
        try:
            with line.api as api:
                healthy = api.get("/api/health", timeout=2).status_code == 200
            if not healthy:
                return False
        except httpx.HTTPError:
            return False
    return True


def test_three_lines_share_one_database(plant):
    plant, database, server = plant
    one, two, three = plant.lines
    wait_until(lambda: _healthy(plant), 60, "the three admin APIs")

    # Each line runs its own cycle: two fills of 4 batches each, at least.
    wait_until(lambda: all(_completed(database, line.code) >= 8 for line in plant.lines), 120,
               "8 completed batches on every line")

    # A clear on line 2 archives only line 2's rows, and its log record says line 2.
    with two.api as api:
        api.post("/api/admin/scheduler", json={"enabled": False})
        cleared = api.post("/api/admin/clear-mo-batch").json()
    assert cleared["status"] == "success"
    cleared_lines = database.rows("SELECT DISTINCT equipment_id_batch FROM mo_histories WHERE status = 'cleared'")
    assert cleared_lines in ([], [("PLC02",)])
    held_lines = database.rows("SELECT DISTINCT line FROM mo_dispatch WHERE state = 'held'")
    assert held_lines in ([], [("PLC02",)])
    wait_until(lambda: database.rows("SELECT line FROM system_log WHERE message LIKE 'Batch table cleared by%'"),
               10, "the clear's log record")
    clear_log = database.rows("SELECT line FROM system_log WHERE message LIKE 'Batch table cleared by%'")
    assert {line for (line,) in clear_log} == {"PLC02"}

    # Line 3 stops; lines 1 and 2 go on (line 2's scheduler back on), line 3's rows wait untouched.
    with two.api as api:
        api.post("/api/admin/scheduler", json={"enabled": True})
    assert plant.stop_service(three) == 0
    waiting = database.rows("SELECT mo_id, actual_weight_quantity_finished_goods FROM mo_batch"
                            " WHERE equipment_id_batch = 'PLC03' ORDER BY mo_id")
    marks = {line.code: _completed(database, line.code) for line in plant.lines}
    wait_until(lambda: _completed(database, "PLC01") >= marks["PLC01"] + 4
               and _completed(database, "PLC02") >= marks["PLC02"] + 4, 90, "lines 1 and 2 going on without line 3")
    assert _completed(database, "PLC03") == marks["PLC03"]
    assert database.rows("SELECT mo_id, actual_weight_quantity_finished_goods FROM mo_batch"
                         " WHERE equipment_id_batch = 'PLC03' ORDER BY mo_id") == waiting
    plant.start_service(three)
    wait_until(lambda: _completed(database, "PLC03") >= marks["PLC03"] + 4, 90, "line 3 going on after its restart")

    # PostgreSQL restarts under all three: every line goes on.
    marks = {line.code: _completed(database, line.code) for line in plant.lines}
    server.restart()
    wait_until(lambda: all(_completed(database, line.code) >= marks[line.code] + 4 for line in plant.lines), 120,
               "every line going on after the PostgreSQL restart")

    # Every MO was archived as completed once, by the line Odoo gave it to, and pushed once.
    odoo_line = {mo["mo_id"]: mo["equipment"]["code"] for mo in plant.odoo_json("/fake/mos")["mos"]}
    completed = database.rows("SELECT mo_id, equipment_id_batch FROM mo_histories WHERE status = 'completed'")
    assert len(completed) == len({mo for mo, _ in completed})
    assert all(odoo_line[mo] == line for mo, line in completed)
    pushed = [push["mo_id"] for push in plant.odoo_json("/fake/pushes")["pushes"]]
    assert len(pushed) == len(set(pushed))
    assert {mo for mo, _ in completed} <= set(pushed)
    in_flight = database.rows("SELECT mo_id, equipment_id_batch FROM mo_batch")
    assert all(odoo_line[mo] == line for mo, line in in_flight)
    assert not {mo for mo, _ in in_flight} & {mo for mo, _ in completed}

    # Each line's log is its own; every instance is alive; no instance exceeded its pool.
    per_line = dict(database.rows("SELECT line, count(*) FROM system_log GROUP BY line"))
    assert {"PLC01", "PLC02", "PLC03"} <= set(per_line)
    assert len(database.rows("SELECT line FROM line_instances")) == 3
    connections = database.rows("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'batch-hmi'")
    assert connections[0][0] <= 3 * 4
    for code, log in plant.service_logs().items():
        assert "Traceback" not in log, code
