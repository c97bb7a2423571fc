"""Shared pieces of every ILP app: base model, domain errors, settings helpers."""
