"""Exit codes are API (README "Exit codes"); this is the one place that maps them."""

from enum import IntEnum

import click

from sbomkit.errors import SbomkitError, UsageError


class Exit(IntEnum):
    OK = 0
    ERROR = 1
    FINDINGS = 2
    USAGE = 3


def exit_code_for(error: BaseException) -> Exit:
    if isinstance(error, UsageError | click.UsageError):
        return Exit.USAGE
    if isinstance(error, SbomkitError | click.ClickException):
        return Exit.ERROR
    return Exit.ERROR
