"""Fixtures for the license tests: the installed SPDX texts, and a clean slate around tests
that point detection at another license-text folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sbomkit.licenses import detect, texts
from sbomkit.licenses.text_store import ENV, searched

INSTALL_HINT = (
    "SPDX license texts are not installed, and this test needs them: run "
    "`make` (its bootstrap installs them into the venv) or "
    "`.venv/bin/sbomkit license-texts update --dest .venv/share/sbomkit/license-texts`"
)


def clear_caches() -> None:
    """Reference texts and the index built from them are read once per process."""
    texts.references.cache_clear()
    texts.spdx_list_texts.cache_clear()
    detect._index.cache_clear()


@pytest.fixture
def spdx_texts() -> None:
    """Fails (never skips) when the SPDX list texts detection uses are not installed."""
    if not texts.spdx_list_texts():
        pytest.fail(f"{INSTALL_HINT} (searched: {', '.join(map(str, searched()))})")


@pytest.fixture
def own_texts_folder(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For a test that sets $SBOMKIT_LICENSE_TEXTS: what it loads does not outlive it."""
    monkeypatch.delenv(ENV, raising=False)
    clear_caches()
    yield
    monkeypatch.undo()
    clear_caches()
