"""Tests of evaluation and coaching: TPCB teams, visits, recommendations, pages and API."""
