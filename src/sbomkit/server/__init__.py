"""The portfolio server: SBOMs of many projects in one database, matched and searchable."""
