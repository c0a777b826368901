"""Catalogers for R: renv.lock."""
