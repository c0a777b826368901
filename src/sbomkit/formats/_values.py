"""Field values both formats share: digests, URLs, identifier-safe names, licenses.

Each check here keeps a writer from emitting a value its schema rejects; a value that
fails one is written somewhere looser (a property, a comment) or left out, never mangled.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from license_expression import (
    ExpressionError,
    LicenseSymbol,
    Licensing,
    get_spdx_licensing,
)

from sbomkit.model import Hash, License

# CycloneDX algorithm name -> (SPDX 2.3 name, length in hex digits).
HASH_ALGORITHMS: dict[str, tuple[str, int]] = {
    "MD5": ("MD5", 32),
    "SHA-1": ("SHA1", 40),
    "SHA-256": ("SHA256", 64),
    "SHA-384": ("SHA384", 96),
    "SHA-512": ("SHA512", 128),
    "SHA3-256": ("SHA3-256", 64),
    "SHA3-384": ("SHA3-384", 96),
    "SHA3-512": ("SHA3-512", 128),
    "BLAKE2b-256": ("BLAKE2b-256", 64),
    "BLAKE2b-384": ("BLAKE2b-384", 96),
    "BLAKE2b-512": ("BLAKE2b-512", 128),
    "BLAKE3": ("BLAKE3", 64),
}
_HEX_DIGITS = "0123456789abcdef"


def valid_hashes(hashes: Iterable[Hash]) -> list[Hash]:
    """Known algorithms with a hex digest of the right length, lower-cased, sorted, unique."""
    out: dict[tuple[str, str], Hash] = {}
    for h in hashes:
        known = HASH_ALGORITHMS.get(h.algorithm)
        if known is None:
            continue
        value = h.value.strip().lower()
        if len(value) == known[1] and not value.strip(_HEX_DIGITS):  # only hex digits
            out[h.algorithm, value] = h if value == h.value else Hash(h.algorithm, value)
    return [out[key] for key in sorted(out)]  # tuple keys sort far faster than dataclasses


# RFC 3987 IRI-reference, checked loosely: no spaces or delimiters that are never allowed,
# percent signs start escapes, a scheme is well formed, a port is a number.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]|%(?![0-9A-Fa-f]{2})')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_AUTHORITY = re.compile(r"^//(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:\[\]]*)(?::\d*)?(?:[/?#]|$)")


def is_iri_reference(url: str) -> bool:
    if not url or _BAD_IRI_CHARS.search(url):
        return False
    scheme = _SCHEME.match(url)
    if scheme is None:
        # A relative reference: its first path segment may not hold a colon (scp-like git).
        return ":" not in re.split(r"[/?#]", url, maxsplit=1)[0]
    rest = url[scheme.end() :]
    return not rest.startswith("//") or _AUTHORITY.match(rest) is not None


# SPDX 2.3 §7.7 PackageDownloadLocation: a URL, optionally ``<vcs>+``-prefixed.
_SPDX_URL = (
    r"(?:(?:https?|ssh|git|svn|sftp|ftp)://)?(?:[\w\-.!~*'()%;:&=+$,]+@)?"
    r"[a-z0-9]+(?:[\-.][a-z0-9]+){0,100}\.[a-z]{2,5}(?::[0-9]{1,5})?(?:/.*)?"
)
_SPDX_URL_RE = re.compile(f"^{_SPDX_URL}$", re.IGNORECASE)
_SPDX_DOWNLOAD = re.compile(
    rf"^(?:(?:(?:git|hg|svn|bzr)\+)?{_SPDX_URL}"
    r"|git\+git@[a-zA-Z0-9.\-]+:[a-zA-Z0-9/\\.@\-]+|bzr\+lp:[a-zA-Z0-9.\-]+)$",
    re.IGNORECASE,
)


def is_spdx_url(url: str) -> bool:
    return bool(_SPDX_URL_RE.match(url)) and not _BAD_IRI_CHARS.search(url)


def is_spdx_download_location(url: str) -> bool:
    return bool(_SPDX_DOWNLOAD.match(url)) and not _BAD_IRI_CHARS.search(url)


_VCS_PREFIXES = ("git+", "git://", "git@", "hg+", "svn+", "bzr+", "github:", "gitlab:")


def is_vcs_url(url: str) -> bool:
    return url.startswith(_VCS_PREFIXES) or ".git#" in url or url.endswith(".git")


def id_fragment(text: str) -> str:
    """ASCII letters, digits, dots and dashes only: ``@babel/core`` -> ``babel-core``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9.]+", "-", folded).strip("-")


def short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def one_line(text: str, limit: int = 80) -> str:
    """The first line of a text, shortened to ``limit`` characters: a name for a license text."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class LicenseInfo:
    """One declared license after a look at what it really is."""

    text: str  # the normalized SPDX expression, or the text as given
    spdx: bool  # a valid SPDX expression
    single_id: bool  # one SPDX license id, no operator and no exception

    @property
    def compound(self) -> bool:
        return self.spdx and not self.single_id


@cache
def _licensing() -> Licensing:
    return get_spdx_licensing()


def classify(licenses: Iterable[License]) -> list[LicenseInfo]:
    """Unique, in the given order. An "expression" that does not parse is treated as text."""
    seen: dict[str, LicenseInfo] = {}
    for lic in licenses:
        info = _classify(lic)
        if info is not None and info.text not in seen:
            seen[info.text] = info
    return list(seen.values())


@lru_cache(maxsize=4096)  # a handful of distinct licenses cover most components
def _classify(lic: License) -> LicenseInfo | None:
    value = lic.value.strip()
    if not value:
        return None
    if lic.is_expression:
        try:
            parsed = _licensing().parse(value, validate=True, strict=True)
        except ExpressionError:
            parsed = None
        if parsed is not None:
            return LicenseInfo(str(parsed), True, isinstance(parsed, LicenseSymbol))
    return LicenseInfo(value, False, False)
