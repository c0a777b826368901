import json

import pytest
from testkit import TESTDATA, shared_data

from sbomkit.licenses.normalize import normalize, normalize_component, spdx_expression
from sbomkit.model import Component, License


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


def _strings() -> list[tuple[str, str, str]]:
    path = TESTDATA / "licenses" / "strings.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return [(src, text, expected) for src, text, expected in rows]


@pytest.mark.parametrize(("source", "text", "expected"), _strings(), ids=lambda v: str(v)[:40])
def test_real_world_strings(source: str, text: str, expected: str) -> None:
    assert (spdx_expression(text) or "") == expected


def test_every_current_spdx_id_known_to_license_expression_maps_to_itself() -> None:
    data = json.loads(shared_data("spdx-license-list", "json", "licenses.json").read_bytes())
    # Ids newer than license-expression's bundled list stay unknown rather than guessed.
    missed = [
        lic["licenseId"]
        for lic in data["licenses"]
        if not lic["isDeprecatedLicenseId"]
        and spdx_expression(lic["licenseId"]) != lic["licenseId"]
    ]
    assert len(missed) <= 30 and "MIT" not in missed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("License :: OSI Approved :: BSD License", None),
        ("http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0"),
        ("https://opensource.org/licenses/bsd-license.php", None),
        ("GPLv2+", "GPL-2.0-or-later"),
        ("MIT/Apache-2.0", "MIT OR Apache-2.0"),
        ("UNLICENSED", "LicenseRef-sbomkit-proprietary"),
        ("MIT AND AND", None),
        ("x" * 600, None),
        ("GPL-2.0 with the Classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("MIT with exceptions", None),  # which exception?
        ("LGPL-2.1 with FOSS exception", None),  # not on the SPDX list
        ("MIT (with exceptions)", None),  # an aside that is no abbreviation is kept
        ("Apache License, Version 2.0 and MIT License", "Apache-2.0 AND MIT"),
    ],
)
def test_names_urls_classifiers(text: str, expected: str | None) -> None:
    assert spdx_expression(text) == expected


def test_unknown_becomes_licenseref_and_keeps_the_text() -> None:
    c = Component("x", "1", "npm", licenses=(License("SEE LICENSE IN EULA.txt", False),))
    done = normalize_component(c)
    assert done.licenses == (License("LicenseRef-sbomkit-unknown", True),)
    assert done.properties == (("sbomkit:license-text", "SEE LICENSE IN EULA.txt"),)
