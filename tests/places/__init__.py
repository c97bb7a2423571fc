"""Tests of ilp.places."""
