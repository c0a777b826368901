"""Human-facing terminal output: summary tables, warnings, progress."""
