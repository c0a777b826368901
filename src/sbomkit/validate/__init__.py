"""Schema validation of SBOM files against the official schema of their declared version.

``validate_file(path)`` never raises for a bad document: a file that cannot be read or
parsed comes back with ``error`` set, a schema violation as ``problems``.
``load_and_validate(path)`` validates and reads the file into an inventory with one parse
(see :mod:`.load`).
"""

from __future__ import annotations

from sbomkit.validate.documents import FAMILY
from sbomkit.validate.load import Loaded, _utf8, load_and_validate, validate_file
from sbomkit.validate.result import MAX_PROBLEMS, Problem, ValidationResult

__all__ = [
    "FAMILY",
    "MAX_PROBLEMS",
    "Loaded",
    "Problem",
    "ValidationResult",
    "_utf8",
    "load_and_validate",
    "validate_file",
]
