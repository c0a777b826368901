"""Settings shared by every subcommand, and the options that set them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import click

from sbomkit.i18n import LANGS, current_lang

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True, slots=True)
class Settings:
    lang: str = "en"
    quiet: bool = False
    verbose: bool = False


def settings(ctx: click.Context) -> Settings:
    found = ctx.find_object(Settings)
    return found if found is not None else Settings(lang=current_lang())


def _store(field: str) -> Callable[[click.Context, click.Parameter, object], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: object) -> None:
        current = settings(ctx)
        if value:  # given on this command line level; otherwise keep what the parent set
            current = _with(current, field, value)
        ctx.obj = current
        if field == "verbose" and value:
            logging.getLogger().setLevel(logging.DEBUG)

    return callback


def _with(current: Settings, field: str, value: object) -> Settings:
    if field == "lang":
        return replace(current, lang=str(value))
    if field == "quiet":
        return replace(current, quiet=True)
    return replace(current, verbose=True)


def common_options(f: F) -> F:
    """``--lang``, ``-q``, ``-v``: accepted before the subcommand name and after it."""
    for decorator in (
        click.option(
            "--lang",
            type=click.Choice(LANGS),
            expose_value=False,
            callback=_store("lang"),
            help="Message language (default: from SBOMKIT_LANG / LANG).",
        ),
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            expose_value=False,
            callback=_store("quiet"),
            help="Print only errors.",
        ),
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            expose_value=False,
            callback=_store("verbose"),
            help="Print debug output and tracebacks.",
        ),
    ):
        f = decorator(f)
    return f
