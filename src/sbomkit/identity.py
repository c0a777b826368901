"""Canonical package identity: names and purls, decided once, at the boundary.

Per-ecosystem rules live in the ``ECOSYSTEMS`` table; catalogers call :func:`make_component`
and never build purls by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from packageurl import PackageURL

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg
from sbomkit.model import Component


class IdentityError(SbomkitError):
    """A name or version that no purl can carry (control characters, lone surrogates)."""


_PEP503 = re.compile(r"[-_.]+")
# packageurl-python writes some percent-escapes in lower case; RFC 3986 and the purl-spec
# vectors use upper case, and one spelling is needed for refs to match across catalogers.
_ESCAPE = re.compile(r"%[0-9a-f]{2}")


def pypi_name(name: str) -> str:
    """PEP 503 normalized name: ``Django_Package`` -> ``django-package``."""
    return _PEP503.sub("-", name).lower()


def split_npm_name(name: str) -> tuple[str | None, str]:
    """``@Scope/pkg`` -> (``@scope``, ``pkg``). npm scopes are case-insensitive."""
    if name.startswith("@") and "/" in name:
        scope, _, base = name.partition("/")
        return scope.lower(), base
    return None, name


def _plain(name: str) -> tuple[str | None, str]:
    return None, name


def _pypi(name: str) -> tuple[str | None, str]:
    return None, pypi_name(name)


def _path(name: str) -> tuple[str | None, str]:
    """``github.com/foo/bar`` -> (``github.com/foo``, ``bar``): Go modules, Swift, Composer."""
    namespace, _, base = name.rpartition("/")
    return namespace or None, base


def _maven(name: str) -> tuple[str | None, str]:
    """``group:artifact`` -> (``group``, ``artifact``)."""
    group, sep, artifact = name.partition(":")
    return (group, artifact) if sep else (None, name)


Split = Callable[[str], tuple[str | None, str]]


@dataclass(frozen=True, slots=True)
class Ecosystem:
    """How one ecosystem names things: purl type and how a full name splits into
    namespace and name. The type's own case rules are applied by packageurl-python."""

    key: str  # our ecosystem key, also the summary row label
    purl_type: str
    split: Split = _plain
    joiner: str = "/"  # inverse of ``split``: namespace + joiner + name
    needs_namespace: bool = False  # the type's purl is invalid without one (swift)

    def purl(
        self,
        name: str,
        version: str | None,
        qualifiers: dict[str, str] | None = None,
        subpath: str | None = None,
    ) -> PackageURL:
        namespace, base = self.split(name)
        if self.needs_namespace and not namespace:
            raise ValueError(f"a {self.purl_type} purl needs a namespace: {name!r}")
        return PackageURL(
            type=self.purl_type,
            namespace=namespace,
            name=base,
            version=version or None,
            qualifiers=qualifiers or None,
            subpath=subpath or None,
        )

    def full_name(self, namespace: str | None, name: str) -> str:
        return f"{namespace}{self.joiner}{name}" if namespace else name


ECOSYSTEMS: dict[str, Ecosystem] = {
    e.key: e
    for e in (
        Ecosystem("pypi", "pypi", _pypi),
        Ecosystem("npm", "npm", split_npm_name),
        Ecosystem("golang", "golang", _path),
        Ecosystem("cargo", "cargo"),
        Ecosystem("maven", "maven", _maven, ":"),
        Ecosystem("gem", "gem"),
        Ecosystem("composer", "composer", _path),
        Ecosystem("nuget", "nuget"),
        Ecosystem("pub", "pub"),
        Ecosystem("hex", "hex"),
        Ecosystem("swift", "swift", _path, needs_namespace=True),
        Ecosystem("cocoapods", "cocoapods"),
        Ecosystem("hackage", "hackage"),
        Ecosystem("cran", "cran"),
        Ecosystem("conan", "conan"),
        Ecosystem("generic", "generic"),
    )
}


def make_component(
    ecosystem: str,
    name: str,
    version: str | None,
    *,
    qualifiers: dict[str, str] | None = None,
    subpath: str | None = None,
    **fields: Any,
) -> Component:
    """A component with its purl built by the ecosystem's rules.

    Raises IdentityError (never anything else) when the name cannot form a purl.
    """
    quals = tuple(sorted(qualifiers.items())) if qualifiers else ()
    purl, ref = _identity(ecosystem, name, version, quals, subpath)
    return Component(name=name, version=version, ecosystem=ecosystem, purl=purl, ref=ref, **fields)


# Monorepos repeat the same packages in many lockfiles; building and rendering a purl is
# most of the cost of a component, so identical identities are made once.
@lru_cache(maxsize=65536)
def _identity(
    ecosystem: str,
    name: str,
    version: str | None,
    quals: tuple[tuple[str, str], ...],
    subpath: str | None,
) -> tuple[PackageURL, str]:
    try:
        purl = ECOSYSTEMS[ecosystem].purl(name, version, dict(quals) or None, subpath)
        return purl, _ESCAPE.sub(lambda m: m.group(0).upper(), purl.to_string())
    except (ValueError, TypeError, UnicodeError) as e:
        raise IdentityError(Msg.INVALID_ENTRY, detail=f"{name!r}: {e}") from e


_BY_PURL_TYPE = {e.purl_type: e for e in ECOSYSTEMS.values()}


def component_from_purl(purl: str, **fields: Any) -> Component:
    """A component for a purl read from an SBOM, named the way our catalogers name it.

    A purl type we have no cataloger for (deb, rpm, docker, ...) becomes an ecosystem of
    that name with ``namespace/name`` as the name. Raises IdentityError for a bad purl.
    """
    parsed, ref = _parse_purl(purl)
    eco = _BY_PURL_TYPE.get(parsed.type)
    key = eco.key if eco is not None else parsed.type
    joiner = eco.joiner if eco is not None else "/"
    name = f"{parsed.namespace}{joiner}{parsed.name}" if parsed.namespace else parsed.name
    return Component(
        name=name, version=parsed.version, ecosystem=key, purl=parsed, ref=ref, **fields
    )


# A purl that is already canonical and needs no escaping: its string is its ref, and its
# parts are split here instead of by PackageURL.from_string (46 us each; a 50,000-component
# SBOM has 50,000 distinct purls, so the cache does not help). Types whose names
# packageurl-python rewrites (case, "_") or whose versions it lowercases go the slow way.
# Qualifiers are plain when their keys are lower case and in order and their values need
# no escaping (``?arch=x86_64&distro=almalinux-9``, as rpm and deb purls carry them).
_PLAIN_PURL = re.compile(
    r"pkg:([a-z][a-z0-9.-]*)/([a-z0-9.~/-]*[a-z0-9.~-])(?:@([A-Za-z0-9._~-]+))?"
    r"(?:\?([a-z][a-z0-9._-]*=[A-Za-z0-9._~-]+(?:&[a-z][a-z0-9._-]*=[A-Za-z0-9._~-]+)*))?"
)
_PLAIN_SLOW_TYPES = frozenset(("cpan", "mlflow", "hackage", "huggingface", "oci", "swift"))


def _plain_purl(purl: str) -> PackageURL | None:
    m = _PLAIN_PURL.fullmatch(purl)
    if m is None or m.group(1) in _PLAIN_SLOW_TYPES:
        return None
    namespace, _, name = m.group(2).rpartition("/")
    if not name or "//" in m.group(2) or namespace.startswith("/"):
        return None
    qualifiers: dict[str, str] = {}
    if m.group(4):
        pairs = [kv.partition("=") for kv in m.group(4).split("&")]
        keys = [k for k, _, _ in pairs]
        if any(a >= b for a, b in zip(keys, keys[1:], strict=False)):
            return None  # not in canonical order, or a key twice
        qualifiers = {k: v for k, _, v in pairs}
    parts: tuple[object, ...] = (m.group(1), namespace or None, name, m.group(3), qualifiers, None)
    plain: PackageURL = tuple.__new__(PackageURL, parts)
    return plain


@lru_cache(maxsize=65536)
def _parse_purl(purl: str) -> tuple[PackageURL, str]:
    plain = _plain_purl(purl)
    if plain is not None:
        return plain, purl
    try:
        parsed = PackageURL.from_string(purl)
    except (ValueError, TypeError, UnicodeError) as e:
        raise IdentityError(Msg.INVALID_ENTRY, detail=f"purl {purl!r}: {e}") from e
    return parsed, _ESCAPE.sub(lambda m: m.group(0).upper(), parsed.to_string())
