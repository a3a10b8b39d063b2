"""Initiatives (satsningar): the ongoing work streams and their progress notes."""
