"""SBOM quality per profile (NTIA, CISA 2024, BSI TR-03183-2 v2.1, METI), like sbomqs.

A profile is a tuple of :class:`~sbomkit.quality.engine.Rule`; each rule cites the clause
it comes from and looks only at the :class:`~sbomkit.model.Inventory`. The formula for the
0-10 score is in :func:`sbomkit.quality.engine.score` and docs/quality-profiles.md.
"""
