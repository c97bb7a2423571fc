"""Shared pytest fixtures: named personas per role over a small fixed district."""
