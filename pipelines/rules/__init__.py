"""Typed staging by set-based SQL: every rejected row gets a rule code, a column and a reason."""
