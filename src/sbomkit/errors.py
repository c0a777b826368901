"""The one root error every stage derives from.

An error carries a message code and its parameters instead of a finished sentence so the
CLI can render it in the user's language; ``str()`` gives the English text.
"""

from __future__ import annotations

from sbomkit.i18n import Msg, render


class SbomkitError(Exception):
    """Root of every error sbomkit raises on purpose."""

    def __init__(self, code: Msg, path: str | None = None, detail: str = "") -> None:
        self.code = code
        self.path = path
        self.detail = detail
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        return render(self.code, lang, where=self.path, detail=self.detail)


class UsageError(SbomkitError):
    """The user asked for something that cannot be done as asked (exit code 3)."""
