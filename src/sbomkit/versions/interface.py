"""The contract of a version scheme and the version stage's base error.

A scheme turns a version string into a *key*: a value that sorts exactly as the ecosystem
sorts its versions. Keys are plain tuples wherever the ecosystem's rule allows it (tuple
comparison runs in C, about 0.1 µs), and parsing is cached per string, so the matcher can
compare thousands of versions without re-parsing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar, Protocol

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg, render


class VersionKey(Protocol):
    """What :meth:`VersionScheme.key` returns: anything with a total order."""

    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...
    def __gt__(self, other: Any, /) -> bool: ...
    def __ge__(self, other: Any, /) -> bool: ...


class VersionError(SbomkitError):
    """A version string that the ecosystem's rules cannot order."""

    def __init__(self, scheme: str, text: str, reason: str) -> None:
        self.scheme = scheme
        self.text = text
        self.reason = reason
        super().__init__(Msg.INVALID_VERSION, detail=reason)

    def render(self, lang: str) -> str:
        return render(
            Msg.INVALID_VERSION, lang, detail=self.reason, text=self.text, scheme=self.scheme
        )


class VersionScheme:
    """One ecosystem's ordering. Subclasses set ``label`` and implement ``parse``."""

    #: Name used in messages, e.g. ``"PyPI"`` or ``"Debian/Ubuntu (dpkg)"``.
    label: ClassVar[str]
    #: True when the scheme *is* SemVer (maybe with the ecosystem's own leniency), so an
    #: OSV ``SEMVER`` range of this ecosystem is read with it instead of strict SemVer.
    semver: ClassVar[bool] = False

    @staticmethod
    def parse(text: str) -> VersionKey:
        """Return the sort key of ``text``; raise ``ValueError(reason)`` when invalid."""
        raise NotImplementedError

    @staticmethod
    def canonical(text: str) -> str | None:
        """A text naming ``text``'s version and every version equal to it, where the
        scheme has one for it; else None (always, unless a scheme says otherwise).

        Two versions with canonical texts are equal exactly when the texts are, and a
        version without one equals none that has one: a ``versions`` list can then be
        searched by text (PEP 440's ``1.0`` finds a listed ``1.0.0``) without keying it.
        """
        return None

    @classmethod
    def key(cls, text: str) -> VersionKey:
        """The cached sort key of ``text``; :class:`VersionError` when it is not valid."""
        return cls._cached(text)

    _cached: ClassVar[Callable[[str], VersionKey]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

        @lru_cache(maxsize=1 << 16)
        def cached(text: str) -> VersionKey:
            try:
                return cls.parse(text)
            except ValueError as e:
                raise VersionError(cls.label, text, str(e)) from None

        cls._cached = cached
        # ``key`` is then the cache itself: a scan asks for hundreds of thousands of keys,
        # and the classmethod's extra call was a third of the time of a cache hit.
        cls.key = staticmethod(cached)  # type: ignore[method-assign]
