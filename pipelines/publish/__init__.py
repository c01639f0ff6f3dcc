"""Publish a scored run into the marts HR reads, one period in one transaction."""
