"""Runs the sql/intermediate models for a staged run (domain-rules R1-R12)."""
