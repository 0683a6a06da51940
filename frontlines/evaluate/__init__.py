"""Measuring frontlines against gold data: one module per gold set."""
