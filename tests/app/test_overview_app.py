"""`python main.py --overview` as a process: opens read only over the database, ends on SIGTERM."""

from __future__ import annotations

import pytest

from hmi.store import BatchStore, create_database_engine, migrate
from tools.support.service_process import clean_env, spawn, stop
from tools.support.waiting import wait_until
from tools.overview_screenshot import build_plant

ROOT_MAIN = "main.py"


def test_overview_process_reads_the_plant_and_stops_cleanly(tmp_path):
    from tools.support.service_process import ROOT

    database = tmp_path / "plant.db"
    engine = create_database_engine(f"sqlite:///{database}")
    migrate(engine)
    build_plant(BatchStore(engine))
    engine.dispose()
    env = clean_env()
    env.update({"DATABASE_URL": f"sqlite:///{database}", "DATA_DIR": str(tmp_path / "data")})
    process = spawn([str(ROOT / ROOT_MAIN), "--overview"], env, tmp_path, "overview.log")
    log = tmp_path / "overview.log"
    try:
        wait_until(lambda: "Plant overview open" in log.read_text(), 30, "the overview window")
    finally:
        code = stop(process)
    assert code == 0, log.read_text()
    text = log.read_text()
    assert "Traceback" not in text
    # read only: no line lock taken, no instance row written
    engine = create_database_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM line_instances").scalar_one() == 5
    engine.dispose()


@pytest.mark.parametrize("flag", ["--overview"])
def test_overview_is_in_the_help(flag, capsys):
    from hmi.app.cli import build_parser

    assert flag in build_parser().format_help()
