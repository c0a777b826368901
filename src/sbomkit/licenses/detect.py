"""Which licenses a text holds: a normalized-text matcher over SPDX reference texts.

Both sides are reduced as the SPDX matching guidelines allow (case, punctuation, quotes,
bullets, copyright lines, "licence"/"license") to word 3-grams. A reference matches when
the text holds most of its required 3-grams (all but what follows "END OF TERMS AND
CONDITIONS", optional in the SPDX templates); the confidence is that share (its coverage).
The reference that explains most of the text wins, its 3-grams are taken out, and the rest
is searched again, so "Apache-2.0 text + MIT appendix" yields both and BSD-3-Clause text
does not also yield BSD-2-Clause (contained in it).

Near-duplicates (Apache-2.0 and Pixar, MIT and MIT-Wu) are settled on their own wording:
the one whose distinguishing 3-grams the text holds, less those it lacks. A match that wins
by a few 3-grams only, whose text is another license's too, or that is one sentence long,
is reported but never certain (below HIGH), so it is never recorded as concluded. Measured
in benchmarks/license_bench.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sbomkit.licenses.texts import SPDX_LIST, Reference, references

MATCH = 0.80  # coverage needed to report a license at all
HIGH = 0.95  # coverage from which a match counts as certain (recorded as concluded)
NEW = 0.5  # share of a reference's matched 3-grams that no earlier match explains
DECISIVE = 10  # 3-grams of its own wording by which a match must beat a near-duplicate
AMBIGUOUS = 0.9  # confidence of a match that does not: reported, never concluded
SHORT = 18  # a reference of fewer 3-grams is a one-sentence notice: never certain either
# A copyright statement ("Copyright (c) 2020 X", "(c) 2020 X"), not a line of license text
# that happens to start with the word ("copyright notice and this permission notice ...",
# ISC's second line when wrapped at 72 columns).
_COPYRIGHT_LINE = re.compile(
    r"^\s*(?:copyright\s*(?:\(c\)|©|\d{4}|by\b|[^a-z\s])|\(c\)|©).*$",
    re.IGNORECASE | re.MULTILINE,
)
_WORD = re.compile(r"[a-z0-9]+")
_EQUIVALENT = {"licence": "license", "licenced": "licensed", "licences": "licenses"}
_SKIP = {"http", "https", "www", "the", "a", "an"}


@dataclass(frozen=True, slots=True)
class Match:
    spdx_id: str
    confidence: float
    is_exception: bool = False


def words(text: str) -> list[str]:
    text = _COPYRIGHT_LINE.sub(" ", text.lower())
    out = []
    for w in _WORD.findall(text):
        w = _EQUIVALENT.get(w, w)
        if len(w) > 1 and w not in _SKIP and not w.isdigit():
            out.append(w)
    return out


def shingles(text: str) -> frozenset[int]:
    return frozenset(_sequence(text))


def _sequence(text: str) -> list[int]:
    """The text's word 3-grams (hashed) in reading order."""
    w = words(text)
    return [hash((w[i], w[i + 1], w[i + 2])) for i in range(len(w) - 2)]


@dataclass(frozen=True, slots=True)
class _Ref:
    spdx_id: str
    grams: frozenset[int]
    is_exception: bool
    core: frozenset[int]  # the grams a text must hold: all but an optional appendix
    twins: tuple[str, ...] = ()  # other licenses with this very text


@cache
def _index() -> tuple[_Ref, ...]:
    """One entry per distinct text. Of identical texts, the SPDX list's stands for all (it
    is the list's own text for that id), else the narrower grant; the others are twins."""
    seen: dict[frozenset[int], list[Reference]] = {}
    for r in references():
        grams = shingles(r.text)
        if grams:
            seen.setdefault(grams, []).append(r)
    out = []
    for grams, refs in seen.items():
        first = min(refs, key=_rank)
        twins = sorted({r.spdx_id for r in refs} - {first.spdx_id} - _siblings(first.spdx_id))
        core = _core(first.text) or grams
        out.append(_Ref(first.spdx_id, grams, first.is_exception, core, tuple(twins)))
    return tuple(out)


def _rank(r: Reference) -> tuple[bool, bool, str]:
    return (r.source != SPDX_LIST, not r.spdx_id.endswith("-only"), r.spdx_id)


def _siblings(spdx_id: str) -> set[str]:
    """GPL-2.0-only and GPL-2.0-or-later share one text and are not a confusion."""
    base = spdx_id.removesuffix("-only").removesuffix("-or-later")
    return {base + "-only", base + "-or-later"}


_END_OF_TERMS = re.compile(r"\bEND\s+OF\s+TERMS\s+AND\s+CONDITIONS\b", re.IGNORECASE)


def _core(text: str) -> frozenset[int] | None:
    """The grams before "END OF TERMS AND CONDITIONS": what follows (Apache-2.0's appendix,
    the GPLs' "How to Apply These Terms") is optional in the SPDX templates, and many
    LICENSE files leave it out."""
    found = _END_OF_TERMS.search(text)
    if found is None:
        return None
    core = shingles(text[: found.start()])
    return core if len(core) >= 20 else None


@dataclass(frozen=True, slots=True)
class Detection:
    """What a text holds. ``confidence`` is the weakest match's, capped by the share of the
    text the matches explain: text left over may be a license nobody recognized."""

    matches: tuple[Match, ...]
    confidence: float

    @property
    def expression(self) -> str | None:
        return expression(list(self.matches))


def detect_text(text: str) -> Detection:
    sequence = _sequence(text)
    grams = frozenset(sequence)
    found = _in_reading_order(_find(grams), sequence)
    if not found or not grams:
        return Detection((), 0.0)
    explained = len(grams & frozenset().union(*(ref.grams for _, ref in found)))
    share = explained / len(grams)
    if len(grams) - explained <= 12:  # a title, a URL, a short preamble: no other license
        share = 1.0
    confidence = min(min(m.confidence for m, _ in found), round(share, 3))
    return Detection(tuple(m for m, _ in found), confidence)


def detect(text: str, grams: frozenset[int] | None = None) -> list[Match]:
    """The licenses (and exceptions) in ``text``, best first; empty when none is sure enough."""
    return [m for m, _ in _find(shingles(text) if grams is None else grams)]


def _in_reading_order(
    found: list[tuple[Match, _Ref]], sequence: list[int]
) -> list[tuple[Match, _Ref]]:
    """Licenses in the order the text has them (the package's own license comes first in a
    file that goes on with its vendored code's), then exceptions."""

    def start(item: tuple[Match, _Ref]) -> int:
        ref = item[1]
        others = frozenset().union(*(r.grams for _, r in found if r is not ref))
        own = ref.grams - others or ref.grams
        return next((i for i, g in enumerate(sequence) if g in own), len(sequence))

    return sorted(found, key=lambda f: (f[0].is_exception, start(f)))


def _find(grams: frozenset[int]) -> list[tuple[Match, _Ref]]:
    """Greedy cover: the best-explaining well-covered reference first, settled against its
    near-duplicates, then the next one among what is still unexplained."""
    candidates = _candidates(grams)
    left = set(grams)
    found: list[tuple[Match, _Ref]] = []
    while True:
        ranked = sorted(
            ((len(ref.grams & left) * cov, cov, ref) for ref, cov in candidates.items()),
            key=lambda r: (-r[0], r[2].spdx_id),
        )
        # A reference mostly explained by a license already found adds nothing of its own.
        ranked = [r for r in ranked if len(r[2].grams & left) >= NEW * len(r[2].grams & grams)]
        if not ranked:
            break
        ref, margin = _settle(ranked[0][2], [r[2] for r in ranked[1:]], grams, left)
        coverage = candidates.pop(ref)
        sure = margin >= DECISIVE and not ref.twins and len(ref.grams) >= SHORT
        confidence = coverage if sure else min(coverage, AMBIGUOUS)
        found.append((Match(ref.spdx_id, round(confidence, 3), ref.is_exception), ref))
        left -= ref.grams
    return _drop_incorporated(found)


def _candidates(grams: frozenset[int]) -> dict[_Ref, float]:
    """Every reference whose 3-grams the text holds for the most part, with that share."""
    out: dict[_Ref, float] = {}
    most = len(grams) / MATCH  # a longer reference cannot reach MATCH coverage
    for ref in _index():
        if len(ref.core) <= most:
            coverage = len(ref.core & grams) / len(ref.core)
            if coverage >= MATCH:
                out[ref] = coverage
    return out


def _settle(
    best: _Ref, others: list[_Ref], grams: frozenset[int], left: set[int]
) -> tuple[_Ref, int]:
    """Of near-duplicate references (Apache-2.0 and Pixar, BSD-3-Clause and BSD-2-Clause),
    the one whose own wording the text holds most of; with the margin, in 3-grams, over
    the runner-up (a large number when nothing came close)."""
    rivals = [r for r in others if r.spdx_id != best.spdx_id and _near(r, best)]
    for _ in range(len(rivals)):
        lead = {
            r: _evidence(best, r, grams, left) - _evidence(r, best, grams, left) for r in rivals
        }
        challenger = min(rivals, key=lambda r: (lead[r], r.spdx_id))
        if lead[challenger] >= 0:
            return best, lead[challenger]
        rivals = [r for r in rivals if r is not challenger] + [best]
        best = challenger
    return best, min(
        (_evidence(best, r, grams, left) - _evidence(r, best, grams, left) for r in rivals),
        default=10**6,
    )


def _near(a: _Ref, b: _Ref) -> bool:
    return len(a.grams & b.grams) >= 0.5 * min(len(a.grams), len(b.grams))


def _evidence(ref: _Ref, other: _Ref, grams: frozenset[int], left: set[int]) -> int:
    """The 3-grams of ``ref``'s own wording (not in ``other``) that the text holds, less those
    of its required wording that the text lacks."""
    own = ref.grams - other.grams
    return len(own & left) - len((own & ref.core) - grams)


# Licenses whose text consists of another license's text plus their own terms; a file that
# holds both is the first one (LGPL-3.0 ships with the GPL-3.0 it amends).
INCORPORATES: dict[str, frozenset[str]] = {
    "LGPL-3.0-only": frozenset({"GPL-3.0-only", "GPL-3.0-or-later"}),
    "LGPL-3.0-or-later": frozenset({"GPL-3.0-only", "GPL-3.0-or-later"}),
    "NPL-1.1": frozenset({"MPL-1.1"}),
}


def _drop_incorporated(found: list[tuple[Match, _Ref]]) -> list[tuple[Match, _Ref]]:
    ids = {m.spdx_id for m, _ in found}
    inside = set().union(*(INCORPORATES.get(i, frozenset()) for i in ids))
    return [f for f in found if f[0].spdx_id not in inside]


def expression(matches: list[Match]) -> str | None:
    """One SPDX expression: licenses joined by AND, an exception attached with WITH."""
    licenses = sorted({m.spdx_id for m in matches if not m.is_exception})
    exceptions = sorted({m.spdx_id for m in matches if m.is_exception})
    if not licenses:
        return None
    if len(licenses) == 1 and len(exceptions) == 1:
        return f"{licenses[0]} WITH {exceptions[0]}"
    return " AND ".join(licenses)
