"""``sbomkit license-texts``: install the SPDX license texts detection uses (not shipped)."""

from __future__ import annotations

from pathlib import Path

import click

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.i18n import Msg, render
from sbomkit.licenses import text_fetch, text_store

_DEST = click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    help="Install here (default: $SBOMKIT_LICENSE_TEXTS, else "
    "$XDG_DATA_HOME/sbomkit/license-texts).",
)


@click.group("license-texts")
@common_options
def license_texts() -> None:
    """Install and show the SPDX license texts that license detection uses."""


@license_texts.command()
@click.option(
    "--registry",
    metavar="URL",
    default=text_fetch.REGISTRY,
    show_default=True,
    help="npm registry (or a mirror of it) to download spdx-license-list from.",
)
@_DEST
@common_options
@click.pass_context
def update(ctx: click.Context, registry: str, dest: Path | None) -> int:
    """Download the latest npm spdx-license-list and install its texts (skipped when that
    release is installed already)."""
    folder = dest or text_store.user_folder()
    text_store.check_replaceable(folder)  # before a download, not after it
    version, url, integrity = text_fetch.latest(registry)
    installed = text_store.read(folder)
    if installed and installed.integrity == integrity and not _stale(installed):
        _say(ctx, render(Msg.LIC_TEXTS_UP_TO_DATE, _lang(ctx), str(folder), version=version))
        return Exit.OK
    _report(ctx, text_store.install(folder, text_fetch.download(url, integrity)))
    return Exit.OK


@license_texts.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@_DEST
@common_options
@click.pass_context
def import_(ctx: click.Context, source: Path, dest: Path | None) -> int:
    """Install from SOURCE: a spdx-license-list tarball (.tgz) or its unpacked folder."""
    folder = dest or text_store.user_folder()
    _report(ctx, text_store.install(folder, text_fetch.read_path(source)))
    return Exit.OK


@license_texts.command()
@_DEST
@common_options
@click.pass_context
def status(ctx: click.Context, dest: Path | None) -> int:
    """Which SPDX license texts detection finds, and where."""
    lang = _lang(ctx)
    installed = text_store.read(dest) if dest else text_store.find()
    if installed is None:
        dirs = ", ".join(str(f) for f in ([dest] if dest else text_store.searched()))
        click.echo(render(Msg.LIC_TEXTS_NOT_INSTALLED, lang, dirs=dirs))
        return Exit.OK
    click.echo(_installed_line(installed, lang))
    if _stale(installed):
        now = text_store.licensedcode_version()
        click.echo(render(Msg.LIC_TEXTS_STALE, lang, then=installed.licensedcode, now=now))
    return Exit.OK


def _stale(installed: text_store.Installed) -> bool:
    """The choice of texts was made against another licensedcode-data than is installed."""
    return installed.licensedcode != text_store.licensedcode_version()


def _report(ctx: click.Context, installed: text_store.Installed) -> None:
    _say(ctx, f"{_installed_line(installed, _lang(ctx))} <- {installed.origin}")


def _installed_line(installed: text_store.Installed, lang: str) -> str:
    return render(
        Msg.LIC_TEXTS_INSTALLED,
        lang,
        str(installed.folder),
        count=installed.texts,
        version=installed.version,
        used=len(installed.detection),
    )


def _say(ctx: click.Context, text: str) -> None:
    if not current_settings(ctx).quiet:
        click.echo(text)


def _lang(ctx: click.Context) -> str:
    return current_settings(ctx).lang
