"""The one-folder executable, built from this checkout, does what the product does from source."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hmi import __version__
from hmi.store.database import create_database_engine, current_revision, head_revision, migrate
from tests.conftest import pick_free_port
from tests.packaging.conftest import ROOT, Bundle, scrubbed_env

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(600)]

THEME = ROOT / "resources" / "theme.qss"
API_TOKEN = "bundle-engineer-token"


def _run(bundle: Bundle, args: list[str], env: dict[str, str], cwd: Path, timeout: float = 60):
    return subprocess.run([str(bundle.exe), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_bundle_carries_resources_migrations_settings_and_only_the_qt_it_uses(bundle):
    contents = bundle.contents
    assert (contents / "resources" / "plc_register_map.json").is_file()
    # The window's Indonesian, compiled by the build (the bundle has no lrelease to compile it later).
    assert (contents / "resources" / "i18n" / "batch_hmi_id.qm").stat().st_size > 10_000
    assert (contents / "settings.ini").read_text(encoding="utf-8") == (ROOT / "settings.ini").read_text(
        encoding="utf-8")
    shipped = sorted(p.name for p in (contents / "hmi" / "store" / "migrations" / "versions").glob("*.py"))
    assert shipped == sorted(p.name for p in (ROOT / "hmi" / "store" / "migrations" / "versions").glob("*.py"))
    assert (contents / "hmi" / "store" / "migrations" / "env.py").is_file()
    # Settings must not sit beside the executable: replacing the folder would replace them.
    assert not (bundle.folder / "settings.ini").exists()

    qt = contents / "PySide6" / "Qt"
    assert not (qt / "translations").exists()
    names = [p.name for p in bundle.folder.rglob("*")]
    for unwanted in ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt6Pdf", "Qt6Network", "QtQml", "QtQuick"):
        assert not [n for n in names if unwanted in n], f"{unwanted} is in the bundle"
    platforms = {p.name for p in (qt / "plugins" / "platforms").iterdir()}
    assert any("offscreen" in name for name in platforms)
    if sys.platform.startswith("linux"):
        assert any("xcb" in name for name in platforms)
    if sys.platform == "win32":
        assert any(name.startswith("qwindows") for name in platforms)
    # Every symlink PyInstaller made points at a file that is there.
    dangling = [str(p) for p in bundle.folder.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []


def test_version(bundle, tmp_path):
    result = _run(bundle, ["--version"], scrubbed_env(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"batch-hmi {__version__}"


def test_self_check_upgrades_an_old_database_and_keeps_data_outside_the_bundle(bundle, tmp_path):
    # A database as the previous release left it: schema revision 0001.
    database = tmp_path / "plant" / "batch_hmi.db"
    url = f"sqlite:///{database}"
    engine = create_database_engine(url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()

    cwd = tmp_path / "cwd"
    cwd.mkdir()
    home = tmp_path / "home"
    result = _run(bundle, ["--self-check"], scrubbed_env(home, DATABASE_URL=url), cwd)
    lines = result.stdout.splitlines()
    assert f"ok   database: {url} at schema revision {head_revision()}" in lines, result.stdout + result.stderr
    assert "ok   register map: built-in map: 10 slots, REAL scaled_int32" in lines, result.stdout
    assert any(line.startswith("ok   qt: PySide6 6.") for line in lines), result.stdout
    if THEME.is_file():
        assert result.returncode == 0, result.stdout + result.stderr
        assert "self-check passed" in lines
    # else: the resources check fails until the window's theme is merged; the rest must pass.

    engine = create_database_engine(url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()

    # No ./settings.ini and no --config: the bundled default became the per-user settings file.
    if sys.platform.startswith("linux"):
        user_settings = home / "config" / "batch-hmi" / "settings.ini"
        assert user_settings.read_text(encoding="utf-8") == (ROOT / "settings.ini").read_text(encoding="utf-8")
        assert f"ok   settings: {user_settings}" in lines, result.stdout
        assert (home / "data" / "batch-hmi" / "logs" / "batch-hmi.log").is_file()
    assert not [p for p in bundle.folder.rglob("*") if p.suffix in (".db", ".log")]


def test_sim_plc_runs_from_the_executable(bundle, tmp_path):
    port = pick_free_port()
    process = subprocess.Popen([str(bundle.exe), "--sim", "plc", "--port", str(port)], cwd=tmp_path,
                               env=scrubbed_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        assert f"PLC simulator listening on 127.0.0.1:{port}" in process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()


def _get(client: httpx.Client, path: str) -> dict | None:
    try:
        response = client.get(path)
    except httpx.HTTPError:
        return None
    return response.json() if response.status_code == 200 else None


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX; the Windows service stop is manual")
def test_headless_demo_runs_a_whole_batch_cycle_and_stops_on_sigterm(bundle, tmp_path):
    port = pick_free_port()
    log_path = tmp_path / "demo.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([str(bundle.exe), "--headless", "--demo"], cwd=tmp_path,
                                   env=scrubbed_env(tmp_path, API_PORT=str(port), API_TOKEN=API_TOKEN), stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        completed = None
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5,
                          headers={"Authorization": f"Bearer {API_TOKEN}"}) as client:
            # First sync 3 s after start, 8 s batches, 1 s polls: one batch is archived after ~15 s.
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                assert process.poll() is None, log_path.read_text()
                body = _get(client, "/api/admin/history?status=completed")
                if body and body["data"]["total"] >= 1:
                    completed = body
                    break
                time.sleep(1)
            assert completed is not None, f"no completed batch in 90 s:\n{log_path.read_text()}"
            assert completed["status"] == "success"
            item = completed["data"]["items"][0]
            assert item["status"] == "completed"
            assert any(silo["actual"] for silo in item["silos"].values())
            health = client.get("/api/health")
            assert health.status_code == 200, health.text
            body = health.json()
            assert body["database"]["state"] == "OK"
            assert body["odoo"]["state"] == "OK"
            assert body["plc"]["state"] == "CONNECTED", body
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    output = log_path.read_text()
    assert code == 0, output
    assert "Traceback" not in output
    assert "Batch HMI stopped" in output
