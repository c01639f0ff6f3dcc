"""Synthetic, realistic department extracts for demos, tests and benchmarks."""
