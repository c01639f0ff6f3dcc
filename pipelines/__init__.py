"""Kinerja: monthly ASN performance KPIs from department extracts, computed in PostgreSQL."""

__version__ = "0.1.0"
