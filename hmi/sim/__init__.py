"""Simulators for demo and tests: a PLC on Modbus TCP and a fake Odoo with the grt_scada routes."""
