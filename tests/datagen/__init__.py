"""Seeded sample data lake, its golden column labels, and the evaluator."""
