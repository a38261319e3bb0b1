"""Settings of the stock Odoo protocols: validated at start, the API key masked."""

from __future__ import annotations

import pytest

from hmi.config import SettingsError, load_settings

STOCK = {"ODOO_API": "jsonrpc", "ODOO_PICKING_TYPE": "Manufacturing"}


def _load(tmp_path, env):
    ini = tmp_path / "settings.ini"
    ini.write_text("")
    return load_settings(ini, environ=env)


def test_defaults_keep_grt_scada(tmp_path):
    settings = _load(tmp_path, {})
    assert (settings.odoo_api, settings.odoo_backorder, settings.odoo_only_ready) == ("grt_scada", "close", False)


@pytest.mark.parametrize("env, fragment", [
    ({"ODOO_API": "xmlrpc"}, "ODOO_API='xmlrpc' (from environment) must be one of grt_scada, jsonrpc, json2, auto"),
    ({**STOCK, "ODOO_BACKORDER": "maybe"}, "ODOO_BACKORDER='maybe' (from environment) must be one of close, backorder"),
    ({"ODOO_API": "json2", "ODOO_PICKING_TYPE": "8"}, "ODOO_API='json2' (from environment) needs ODOO_API_KEY"),
    ({"ODOO_API": "auto"}, "needs ODOO_PICKING_TYPE or ODOO_WORKCENTER"),
    ({**STOCK, "ODOO_ONLY_READY": "perhaps"}, "ODOO_ONLY_READY='perhaps'"),
])
def test_bad_stock_settings_stop_start_up_naming_the_key(tmp_path, env, fragment):
    with pytest.raises(SettingsError) as caught:
        _load(tmp_path, env)
    assert fragment in str(caught.value)


def test_api_key_is_masked_everywhere(tmp_path):
    settings = _load(tmp_path, {"ODOO_API": "json2", "ODOO_API_KEY": "k-123-secret", "ODOO_WORKCENTER": "MIX1"})
    assert settings.odoo_api_key == "k-123-secret"
    assert "k-123-secret" not in repr(settings)
    shown = {spec.env: display for spec, display, _source in settings.describe()}
    assert shown["ODOO_API_KEY"] == "********"
