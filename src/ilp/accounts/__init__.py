"""Users, roles, the area or facility each role is scoped to, the audit log, login throttle."""
