"""Volunteers: profile, skills, training, agreements and preferences."""
