"""Writers: turn an inventory into CycloneDX (JSON, XML) or SPDX 2.3 (JSON, tag-value).

The model stays ours; each format is an adapter that builds its document by hand, sorted
and reproducible under ``SOURCE_DATE_EPOCH``. Look a writer up with
:func:`sbomkit.formats.registry.get_writer`.
"""
