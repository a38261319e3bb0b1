"""Batch HMI: Odoo manufacturing orders to PLC batch recipes and back."""

__version__ = "0.1.0"
