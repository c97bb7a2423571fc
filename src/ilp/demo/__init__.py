"""The deterministic synthetic district (modelled on Kota Mataram) for demo, tests, benchmarks."""
