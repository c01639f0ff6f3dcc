"""Versioned rules and source definitions, installed with the package."""
