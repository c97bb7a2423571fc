"""ILP — Integrasi Layanan Primer: the district health office's primary-care information system."""

__version__ = "0.1.0"
