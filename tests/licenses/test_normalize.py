import pytest

from sbomkit.licenses.normalize import normalize, spdx_expression
from sbomkit.model import License


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("MIT License", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("GPL-2.0", "GPL-2.0-only"),  # deprecated id -> current id
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("(MIT AND BSD-3-Clause)", "MIT AND BSD-3-Clause"),
        ("Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception"),
        ("LicenseRef-acme AND MIT", "LicenseRef-acme AND MIT"),
        ("BSD", None),  # ambiguous: which BSD?
        ("(MIT", None),
        ("", None),
        ("Copyright (c) 2020 ACME\nAll rights reserved", None),
    ],
)
def test_spdx_expression(text: str, expected: str | None) -> None:
    assert spdx_expression(text) == expected


def test_normalize_keeps_unknown_text_as_given() -> None:
    assert normalize(License("BSD", False)) == License("BSD", False)
    assert normalize(License("MIT License", False)) == License("MIT", True)
