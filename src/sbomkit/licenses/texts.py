"""Reference license texts: ScanCode's LicenseDB as packaged by ``licensedcode-data``.

The package (extra ``sbomkit[licenses]``) holds one ``<key>.LICENSE`` file per license: a
YAML front matter (``spdx_license_key``, ``category``, ``is_exception``, ...) and the text.
Only licenses with an SPDX list id (not ``LicenseRef-``) are used, so every detection is an
SPDX id that license-expression knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg

EXTRA = "sbomkit[licenses]"
MIN_WORDS = 20  # a reference shorter than this is a notice, too weak to match on


@dataclass(frozen=True, slots=True)
class Reference:
    spdx_id: str
    text: str
    is_exception: bool


@cache
def references() -> tuple[Reference, ...]:
    """Every usable reference text; SbomkitError naming the extra when it is missing."""
    try:
        folder = resources.files("licensedcode").joinpath("data").joinpath("licenses")
        entries = [e for e in folder.iterdir() if e.name.endswith(".LICENSE")]
    except (ModuleNotFoundError, FileNotFoundError) as e:
        raise SbomkitError(Msg.LICENSE_DATA_MISSING, None, f"pip install '{EXTRA}'") from e
    known = _spdx_ids()
    out: list[Reference] = []
    for entry in sorted(entries, key=lambda e: e.name):
        ref = _parse(entry.read_bytes().decode("utf-8", errors="replace"))
        if ref is not None and ref.spdx_id.lower() in known:
            out.append(ref)
    return tuple(out)


def _parse(raw: str) -> Reference | None:
    _, _, rest = raw.partition("---\n")
    head, _, text = rest.partition("\n---\n")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith((" ", "\t", "-")):
            fields[key.strip()] = value.strip()
    spdx_id = fields.get("spdx_license_key", "")
    if not spdx_id or spdx_id.startswith("LicenseRef-") or fields.get("is_deprecated") == "yes":
        return None
    if len(text.split()) < MIN_WORDS:
        return None
    return Reference(spdx_id, text, fields.get("is_exception") == "yes")


@cache
def _spdx_ids() -> frozenset[str]:
    """Lower-cased ids of license-expression's SPDX list (licenses and exceptions)."""
    from license_expression import get_license_index

    ids = set()
    for entry in get_license_index():
        if entry.get("is_deprecated"):
            continue
        key = entry.get("spdx_license_key") or ""
        if key and not key.startswith("LicenseRef-"):
            ids.add(key.lower())
    return frozenset(ids)
