"""The local advisory store: OSV records in one SQLite file, import, update and lookup.

The matcher reads through :class:`AdvisoryStore` (``candidates``, ``kev``, ``status``);
``sbomkit db`` fills it with :func:`importer.import_sources` and :func:`update.update`.
"""

from sbomkit.db.interface import AffectedEntry, DbError, Event, Range, SeverityVector
from sbomkit.db.store import AdvisoryStore, default_path

__all__ = [
    "AdvisoryStore",
    "AffectedEntry",
    "DbError",
    "Event",
    "Range",
    "SeverityVector",
    "default_path",
]
