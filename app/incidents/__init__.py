"""Incidents: declaring, levels, people to reach, tasks, the timeline."""
