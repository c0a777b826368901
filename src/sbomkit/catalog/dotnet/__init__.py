"""Catalogers for .NET: packages.lock.json, *.deps.json, packages.config, MSBuild projects."""
