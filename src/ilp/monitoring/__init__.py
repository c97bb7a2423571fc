"""Monitoring: the indicator catalogue, counts kept current as records are written, and the
indicator values API (ARCHITECTURE.md, issue 10)."""
