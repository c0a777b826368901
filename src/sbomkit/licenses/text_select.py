"""Which SPDX list texts detection needs beside licensedcode-data's.

licensedcode-data's last release predates about a hundred SPDX list licenses, and for a few
more it holds another text than the SPDX list (CECILL-B in French, OpenSSH's whole LICENCE
file). Detection adds the SPDX list text of exactly those licenses, so a newer license is
recognized as itself instead of as its nearest older relative, and the others keep
ScanCode's independent texts. Chosen once, when the texts are installed: it compares every
list text with every licensedcode text, which takes seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from sbomkit.licenses.detect import shingles
from sbomkit.licenses.texts import MIN_WORDS, licensedcode_references

WELL_HELD = 0.8  # share of a licensedcode text an SPDX text must hold to count as it
# "GPL-2.0-with-bison-exception" and the like: deprecated since the WITH operator, and not
# all of them are in license-expression's index to say so.
_WITH_EXCEPTION = re.compile(r"-with-.+-exception$", re.IGNORECASE)


def current_ids(ids: Iterable[str]) -> set[str]:
    """The ids that are current SPDX list licenses. npm's spdx-license-list keeps deprecated
    ids (GPL-2.0, Nunit, wxWindows) without saying so; license-expression's index knows them
    as aliases or deprecated keys. An id it does not know at all is newer than it: kept."""
    from license_expression import get_license_index

    current: set[str] = set()
    known: set[str] = set()
    for entry in get_license_index():
        key = (entry.get("spdx_license_key") or "").lower()
        known.add(key)
        known.update(k.lower() for k in entry.get("other_spdx_license_keys") or [])
        if key and not entry.get("is_deprecated") and not entry.get("is_exception"):
            current.add(key)
    return {
        i
        for i in ids
        if i.lower() in current or (i.lower() not in known and not _WITH_EXCEPTION.search(i))
    }


def select(texts: Mapping[str, str]) -> list[str]:
    """The ids (sorted) of the current SPDX list licenses for which licensedcode-data has no
    usable text, or one less than 80% of which the SPDX text holds, or whose SPDX text
    another license's licensedcode text matches better (a license whose SPDX text is the
    same, GPL-2.0-only and GPL-2.0-or-later, is not another)."""
    refs = _licensedcode_grams()
    current = current_ids(texts)
    listed = {
        i: shingles(t) for i, t in texts.items() if i in current and len(t.split()) >= MIN_WORDS
    }
    same: dict[frozenset[int], set[str]] = {}
    for spdx_id, grams in listed.items():
        same.setdefault(grams, set()).add(spdx_id.lower())
    needed = [
        spdx_id
        for spdx_id, grams in listed.items()
        if _needs_own_text(spdx_id.lower(), grams, refs, same[grams])
    ]
    # An id whose SPDX text is another's that licensedcode has right (MPL-2.0-no-copyleft-
    # exception is MPL-2.0's text) cannot be told apart by text: the other stands for it.
    wanted = {i.lower() for i in needed}
    return sorted(i for i in needed if same[listed[i]] <= wanted)


@cache
def _licensedcode_grams() -> list[tuple[str, frozenset[int]]]:
    return [(r.spdx_id.lower(), shingles(r.text)) for r in licensedcode_references()]


def _needs_own_text(
    spdx_id: str,
    grams: frozenset[int],
    refs: list[tuple[str, frozenset[int]]],
    same: set[str],
) -> bool:
    scores: dict[str, float] = {}  # id -> best (3-grams held) x (share held) of its texts
    most = len(grams) / WELL_HELD  # a longer licensedcode text cannot be held well enough
    for ref_id, ref_grams in refs:
        if len(ref_grams) > most:
            continue
        held = len(ref_grams & grams)
        if held >= WELL_HELD * len(ref_grams):
            scores[ref_id] = max(scores.get(ref_id, 0.0), held * held / len(ref_grams))
    own = scores.get(spdx_id, 0.0)
    return own == 0.0 or any(s > own for i, s in scores.items() if i not in same)
