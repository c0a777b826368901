"""Catalogers for the Python ecosystem: lockfiles, requirements and installed environments."""
