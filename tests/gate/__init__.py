"""Tests of the pre-sharing gate (pipeline.gate), anonymised export (pipeline.anonymizer) and their CLI."""
