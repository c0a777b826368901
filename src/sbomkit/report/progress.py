"""A progress line on stderr while a long walk runs (silent when quiet or not a TTY)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from sbomkit.catalog.walker import Job
from sbomkit.cli.options import Settings
from sbomkit.i18n import Msg, render


@contextmanager
def progress_display(settings: Settings, path: Path) -> Iterator[Callable[[Job], None] | None]:
    console = Console(stderr=True)
    if settings.quiet or not console.is_terminal:
        yield None
        return
    label = render(Msg.SCANNING, settings.lang, path=path)
    with console.status(label) as status:

        def tick(job: Job) -> None:
            status.update(f"{label}  {job.source.rel}")

        yield tick
