"""Catalogers: read lockfiles, manifests and installed package metadata into components."""
