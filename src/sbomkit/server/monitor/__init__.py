"""Continuous monitoring: the job queue, advisory re-analysis, triage, notifications, metrics."""
