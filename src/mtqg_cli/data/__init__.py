"""Installed copies of the top-level schemas/ and templates/ folders."""
