"""Canonical package identity: names and purls, decided once, at the boundary.

Per-ecosystem rules live in the ``ECOSYSTEMS`` table; catalogers call :func:`make_component`
and never build purls by hand.
"""

from __future__ import annotations

import re
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


@dataclass(frozen=True, slots=True)
class Ecosystem:
    """How one ecosystem names things: purl type and name canonicalization."""

    key: str  # our ecosystem key, also the summary row label
    purl_type: str

    def purl(
        self,
        name: str,
        version: str | None,
        qualifiers: dict[str, str] | None = None,
        subpath: str | None = None,
    ) -> PackageURL:
        namespace: str | None = None
        if self.purl_type == "pypi":
            name = pypi_name(name)
        elif self.purl_type == "npm":
            namespace, name = split_npm_name(name)
        return PackageURL(
            type=self.purl_type,
            namespace=namespace,
            name=name,
            version=version or None,
            qualifiers=qualifiers or None,
            subpath=subpath,
        )


ECOSYSTEMS: dict[str, Ecosystem] = {
    e.key: e for e in (Ecosystem("pypi", "pypi"), Ecosystem("npm", "npm"))
}


def make_component(
    ecosystem: str,
    name: str,
    version: str | None,
    *,
    qualifiers: dict[str, str] | None = None,
    **fields: Any,
) -> Component:
    """A component with its purl built by the ecosystem's rules.

    Raises IdentityError (never anything else) when the name cannot form a purl.
    """
    quals = tuple(sorted(qualifiers.items())) if qualifiers else ()
    purl, ref = _identity(ecosystem, name, version, quals)
    return Component(name=name, version=version, ecosystem=ecosystem, purl=purl, ref=ref, **fields)


# Monorepos repeat the same packages in many lockfiles; building and rendering a purl is
# most of the cost of a component, so identical identities are made once.
@lru_cache(maxsize=65536)
def _identity(
    ecosystem: str, name: str, version: str | None, quals: tuple[tuple[str, str], ...]
) -> tuple[PackageURL, str]:
    try:
        purl = ECOSYSTEMS[ecosystem].purl(name, version, dict(quals) or None)
        return purl, _ESCAPE.sub(lambda m: m.group(0).upper(), purl.to_string())
    except (ValueError, TypeError, UnicodeError) as e:
        raise IdentityError(Msg.INVALID_ENTRY, detail=f"{name!r}: {e}") from e
