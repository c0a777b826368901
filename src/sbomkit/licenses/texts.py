"""Reference license texts: ScanCode's LicenseDB, and SPDX list texts where it has none.

``licensedcode-data`` (extra ``sbomkit[licenses]``) holds one ``<key>.LICENSE`` file per
license: a YAML front matter (``spdx_license_key``, ``category``, ``is_exception``, ...) and
the text. Only licenses with an SPDX list id (not ``LicenseRef-``) that license-expression
knows are used. Its last release predates about a hundred SPDX list licenses, and for a few
more it holds another text than the SPDX list (CECILL-B in French, OpenSSH's whole LICENCE
file). Those SPDX list texts come from the license-text folder the user installs with
``sbomkit license-texts`` (:mod:`sbomkit.licenses.text_store`; not shipped: third-party
data), so a newer license is recognized as itself instead of as its nearest older
relative. Without them detection works from licensedcode-data alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg
from sbomkit.licenses import text_store

EXTRA = "sbomkit[licenses]"
MIN_WORDS = 10  # a reference shorter than this is a title or a pointer, too weak to match on
LICENSEDCODE, SPDX_LIST, NOTICE = "licensedcode", "spdx-list", "notice"


@dataclass(frozen=True, slots=True)
class Reference:
    spdx_id: str
    text: str
    is_exception: bool
    source: str = LICENSEDCODE


@cache
def references() -> tuple[Reference, ...]:
    """Every usable reference text; SbomkitError naming the extra when it is missing."""
    found = licensedcode_references()
    return found + spdx_list_texts() + _notices(found)


# License notices that a license text itself quotes, as (id, first words, last words): many
# packages ship only the notice as their LICENSE file.
NOTICES = (
    ("Apache-2.0", "Licensed under the Apache License", "limitations under the License."),
    ("MPL-2.0", "This Source Code Form is subject to the terms", "http://mozilla.org/MPL/2.0/."),
)


def _notices(found: tuple[Reference, ...]) -> tuple[Reference, ...]:
    out = []
    for spdx_id, first, last in NOTICES:
        text = next((r.text for r in found if r.spdx_id == spdx_id), "")
        start = text.find(first)
        end = text.find(last, start)
        if start >= 0 and end >= 0:
            out.append(Reference(spdx_id, text[start : end + len(last)], False, NOTICE))
    return tuple(out)


@cache
def licensedcode_references() -> tuple[Reference, ...]:
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


@cache
def spdx_list_texts() -> tuple[Reference, ...]:
    """The installed SPDX list texts detection uses (see :mod:`sbomkit.licenses.text_select`):
    of the licenses licensedcode-data lacks, and of those whose licensedcode text is another
    one (a translation, a longer file). Empty when none are installed."""
    installed = text_store.find()
    if installed is None:
        return ()
    return tuple(
        Reference(spdx_id, text, False, SPDX_LIST)
        for spdx_id, text in sorted(text_store.load(installed).items())
        if len(text.split()) >= MIN_WORDS
    )


def spdx_texts_installed() -> bool:
    return text_store.find() is not None


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
