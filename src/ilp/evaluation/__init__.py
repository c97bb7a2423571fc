"""Evaluation and coaching: TPCB teams, coaching visits and recommendations tracked to
closure (issue 11)."""
