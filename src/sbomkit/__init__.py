"""sbomkit: software bill of materials, end to end."""

# The single source of the version (pyproject.toml reads it); importlib.metadata would
# cost 45 ms of start-up on every run.
__version__ = "0.1.0"
