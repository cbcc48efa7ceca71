"""Meetings: formal meetings, coffee mornings and Multi-Disciplinary Team meetings."""
