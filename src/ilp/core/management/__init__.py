"""Management commands of the ILP core app."""
