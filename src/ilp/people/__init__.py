"""Families (KK), persons (NIK), pregnancies; identity checks, duplicates, life stage."""
