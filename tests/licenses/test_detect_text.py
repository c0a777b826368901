"""Regression: license text lines that start with the word "copyright" are license text."""

from __future__ import annotations

from sbomkit.licenses.detect import detect_text

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
