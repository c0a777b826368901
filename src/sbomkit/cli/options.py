"""Settings shared by every subcommand."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    lang: str = "en"
    quiet: bool = False
    verbose: bool = False
