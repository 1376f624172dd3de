"""Debriefs: metrics, lessons, plan changes, corrective actions."""
