"""`ilp <command>` entry points of the core app."""
