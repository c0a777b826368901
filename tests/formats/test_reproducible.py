"""Every writer: byte-identical output for the same inventory under SOURCE_DATE_EPOCH, and
valid output for the smallest inventory there is."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sbomkit.formats.registry import get_writer
from sbomkit.model import Inventory

OUTPUTS = [
    pytest.param("cyclonedx-json", "1.6", id="cdx16-json"),
    pytest.param("cyclonedx-json", "1.5", id="cdx15-json"),
    pytest.param("cyclonedx-xml", "1.6", id="cdx16-xml"),
    pytest.param("cyclonedx-xml", "1.5", id="cdx15-xml"),
    pytest.param("spdx-json", "2.3", id="spdx-json"),
    pytest.param("spdx-tv", "2.3", id="spdx-tv"),
]


@pytest.mark.parametrize(("fmt", "spec"), OUTPUTS)
def test_two_writes_are_byte_identical(mixed: Inventory, epoch: str, fmt: str, spec: str) -> None:
    writer = get_writer(fmt, spec)
    first = writer.write(mixed)
    assert writer.write(mixed) == first
    assert get_writer(fmt, spec).write(mixed) == first


@pytest.mark.parametrize(("fmt", "spec"), OUTPUTS)
def test_without_epoch_only_the_serial_changes(
    mixed: Inventory, no_epoch: None, fmt: str, spec: str
) -> None:
    writer = get_writer(fmt, spec)
    first = writer.write(mixed).decode("utf-8").splitlines()
    second = writer.write(mixed).decode("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    assert len(changed) == 1
    assert "serialNumber" in changed[0][0] or "ocumentNamespace" in changed[0][0]


@pytest.mark.parametrize(("fmt", "spec"), OUTPUTS)
def test_input_order_does_not_matter(mixed: Inventory, epoch: str, fmt: str, spec: str) -> None:
    shuffled = Inventory(
        components=tuple(reversed(mixed.components)),
        dependencies=tuple(reversed(mixed.dependencies)),
        metadata=mixed.metadata,
    )
    writer = get_writer(fmt, spec)
    assert writer.write(shuffled) == writer.write(mixed)


@pytest.mark.parametrize(("fmt", "spec"), OUTPUTS)
def test_empty_inventory_is_valid(
    empty: Inventory,
    no_epoch: None,
    validate: Callable[[str, str, bytes], None],
    fmt: str,
    spec: str,
) -> None:
    data = get_writer(fmt, spec).write(empty)
    validate(fmt, spec, data)
    assert b"empty-project" in data
