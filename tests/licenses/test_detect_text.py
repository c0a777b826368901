"""Detection regressions: ISC wrapped at 72 columns, Apache-2.0 without its appendix (read as
Pixar), near-duplicate and newer SPDX licenses, and how sure a match may be."""

from __future__ import annotations

import pytest

from sbomkit.licenses.detect import AMBIGUOUS, HIGH, detect_text
from sbomkit.licenses.texts import LICENSEDCODE, SPDX_LIST, references

# npm's ISC license (e.g. once, wrappy, semver), wrapped as npm writes it.
ISC = """The ISC License

Copyright (c) Isaac Z. Schlueter and Contributors

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR
IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
"""


def test_wrapped_isc_is_isc_not_0bsd() -> None:
    found = detect_text(ISC)
    assert found.expression == "ISC"


def test_zero_bsd_without_the_notice_clause_stays_0bsd() -> None:
    text = ISC.replace(
        ", provided that the above\ncopyright notice and this permission notice appear in all"
        " copies",
        "",
    )
    assert detect_text(text).expression == "0BSD"


def _reference(spdx_id: str, source: str = LICENSEDCODE) -> str:
    return next(r.text for r in references() if r.spdx_id == spdx_id and r.source == source)


def test_apache_without_its_appendix_is_apache_not_pixar() -> None:
    # requests, boto3, coverage, typescript ship the terms only; Pixar's license is the
    # Apache terms with another trademark clause and was the closer match to them.
    apache = _reference("Apache-2.0")
    terms = apache[: apache.index("END OF TERMS AND CONDITIONS")]
    for text in (terms, apache):
        found = detect_text(text)
        assert found.expression == "Apache-2.0"
        assert found.confidence >= HIGH


def test_pixar_is_still_pixar() -> None:
    found = detect_text(_reference("Pixar"))
    assert (found.expression, found.confidence) == ("Pixar", 1.0)


def test_apache_notice_alone_is_apache() -> None:
    notice = """Copyright 2011 Sybren A. Stuvel <sybren@stuvel.eu>

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

   https://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
"""
    assert detect_text(notice).expression == "Apache-2.0"


def test_licenses_in_reading_order() -> None:
    # grpcio's LICENSE: its own Apache-2.0 first, then what it vendors.
    text = _reference("Apache-2.0") + "\n\n" + _reference("MPL-2.0")
    found = detect_text(text)
    assert [m.spdx_id for m in found.matches] == ["Apache-2.0", "MPL-2.0"]
    assert found.expression == "Apache-2.0 AND MPL-2.0"


def test_lgpl3_with_the_gpl3_it_amends_is_lgpl3() -> None:
    text = _reference("LGPL-3.0-only") + "\n\n" + _reference("GPL-3.0-only")
    assert detect_text(text).expression == "LGPL-3.0-only"


@pytest.mark.usefixtures("spdx_texts")
def test_a_newer_license_is_itself_not_its_older_relative() -> None:
    # FSFULLRSD is FSFULLR plus one sentence; licensedcode-data 32.1 lacks it, so it was
    # FSFULLR with confidence 1.0. One sentence apart is too close to be certain.
    found = detect_text(_reference("FSFULLRSD", SPDX_LIST))
    assert (found.expression, found.confidence) == ("FSFULLRSD", AMBIGUOUS)
    assert detect_text(_reference("FSFULLR")).expression == "FSFULLR"


@pytest.mark.usefixtures("spdx_texts")
def test_one_text_for_two_ids_is_never_certain() -> None:
    # licensedcode's "Python-2.0" text is the SPDX list's Python-2.0.1 text.
    found = detect_text(_reference("Python-2.0.1", SPDX_LIST))
    assert found.expression == "Python-2.0.1"
    assert found.confidence < HIGH


def test_a_one_sentence_license_is_never_certain() -> None:
    found = detect_text(_reference("check-cvs"))
    assert found.expression == "check-cvs"
    assert found.confidence < HIGH
