"""Care pages (function views): service packages, growth charts, posyandu sessions, work
lists. Each module's views declare who may use them with ``role_required``."""
