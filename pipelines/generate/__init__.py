"""Synthetic, realistic department extracts for demos, tests and benchmarks."""

from pipelines.generate.build import GenerateSummary, generate

__all__ = ["GenerateSummary", "generate"]
