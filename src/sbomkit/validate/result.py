"""What validating one file found: its format and version, and each problem with a place."""

from __future__ import annotations

from dataclasses import dataclass, field

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg, render

# Problems listed per file; the rest are counted ("... and N more").
MAX_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class Problem:
    """One violation: where (JSON pointer and/or line) and what the validator said.

    Schema messages stay in the validator's English words; our own (no schema for this
    version) carry a Msg ``code`` and are rendered in the user's language.
    """

    message: str = ""
    pointer: str | None = None
    line: int | None = None
    code: Msg | None = None
    params: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        return render(self.code, lang, **dict(self.params)) if self.code else self.message


@dataclass(frozen=True, slots=True)
class Found:
    problems: tuple[Problem, ...]
    total: int  # problems before the cap


@dataclass(frozen=True, slots=True)
class ValidationResult:
    file: str
    fmt: str | None = None  # reader name, e.g. "cyclonedx-json"
    spec: str | None = None  # declared version, e.g. "1.6"
    problems: tuple[Problem, ...] = ()
    total: int = 0
    error: SbomkitError | None = field(default=None)  # the file could not be validated

    @property
    def valid(self) -> bool:
        return self.error is None and self.total == 0

    @property
    def more(self) -> int:
        return self.total - len(self.problems)


def own_problem(code: Msg, **params: str) -> Found:
    return Found((Problem(code=code, params=tuple(params.items())),), 1)
