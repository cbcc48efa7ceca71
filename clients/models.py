"""Clients, their allocated volunteers, and their consent."""
