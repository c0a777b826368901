"""Fix advice: the lowest version that no matched advisory entry affects."""

from __future__ import annotations

from collections.abc import Sequence

from sbomkit.versions import VersionError, VersionKey, VersionScheme, scheme_for
from sbomkit.versions.osv_affected import Affected, fixed_versions, is_affected


def common_fix(
    entries: Sequence[Affected], version: str, lowest: Sequence[str | None] | None = None
) -> str | None:
    """The lowest ``fixed`` version above ``version`` that every entry leaves unaffected.

    None when some entry has no fix above the version, or no candidate fixes them all.
    Candidates are the entries' own ``fixed`` events: a version nobody published as a fix
    is never advised. ``lowest`` (each entry's or group's own lowest fix, when known) gives
    the usual answer at once: any common fix is at least the highest of them, so when that
    one fixes everything it is the answer.
    """
    if not entries:
        return None
    scheme = scheme_for(entries[0].ecosystem)
    if lowest is not None:
        if any(f is None for f in lowest):
            return None
        if len(lowest) == 1 and len(entries) == 1:
            return lowest[0]  # already checked by lowest_fix
        top = _highest([f for f in lowest if f is not None], scheme)
        if top is not None and not any(is_affected(e, top) for e in entries):
            return top
    candidates: dict[str, None] = {}
    for entry in entries:
        fixes = fixed_versions(entry, version)
        if not fixes:
            return None
        candidates.update(dict.fromkeys(fixes))
    for c in _ordered(list(candidates), scheme):
        if not any(is_affected(e, c) for e in entries):
            return c
    return None


def _ordered(versions: list[str], scheme: type[VersionScheme] | None) -> list[str]:
    keyed: list[tuple[VersionKey, str]] = []
    for v in versions:
        try:
            keyed.append((scheme.key(v), v) if scheme is not None else (v, v))
        except VersionError:
            continue  # a fix that this ecosystem cannot order is not advised
    return [v for _, v in sorted(keyed, key=lambda k: k[0])]


def _highest(versions: list[str], scheme: type[VersionScheme] | None) -> str | None:
    """The last of ``_ordered(versions, scheme)``, without sorting: of equal versions, the
    last given (a stable sort leaves that one last)."""
    best: str | None = None
    best_key: VersionKey | None = None
    for v in versions:
        try:
            key = scheme.key(v) if scheme is not None else v
        except VersionError:
            continue
        if best_key is None or key >= best_key:
            best, best_key = v, key
    return best
