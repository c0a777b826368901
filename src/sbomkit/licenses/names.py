"""Free-text license names, trove classifiers and license URLs -> SPDX ids.

Only unambiguous spellings are listed; a family name without a version ("BSD", "GPL",
"Apache Software License") maps to nothing, and detection from files settles it.
"""

from __future__ import annotations

import re

PUBLIC_DOMAIN = "LicenseRef-sbomkit-public-domain"
PROPRIETARY = "LicenseRef-sbomkit-proprietary"

# PyPI trove classifiers, after "License :: " and the optional "OSI Approved :: ".
CLASSIFIERS: dict[str, str] = {
    "Academic Free License (AFL)": "",
    "Apache Software License": "",  # no version: 1.1 and 2.0 both exist
    "Artistic License": "",
    "BSD License": "",  # no clause count
    "Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)": "CECILL-2.1",
    "Common Development and Distribution License 1.0 (CDDL-1.0)": "CDDL-1.0",
    "Common Public License": "CPL-1.0",
    "Eclipse Public License 1.0 (EPL-1.0)": "EPL-1.0",
    "Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "European Union Public Licence 1.0 (EUPL 1.0)": "EUPL-1.0",
    "European Union Public Licence 1.1 (EUPL 1.1)": "EUPL-1.1",
    "European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "GNU Free Documentation License (FDL)": "",
    "GNU General Public License (GPL)": "",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Library or Lesser General Public License (LGPL)": "",
    "Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "IBM Public License": "IPL-1.0",
    "ISC License (ISCL)": "ISC",
    "Intel Open Source License": "Intel",
    "MIT License": "MIT",
    "MIT No Attribution License (MIT-0)": "MIT-0",
    "MirOS License (MirOS)": "MirOS",
    "Motosoto License": "Motosoto",
    "Mozilla Public License 1.0 (MPL)": "MPL-1.0",
    "Mozilla Public License 1.1 (MPL 1.1)": "MPL-1.1",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "Mulan Permissive Software License v2 (MulanPSL-2.0)": "MulanPSL-2.0",
    "Nethack General Public License": "NGPL",
    "Nokia Open Source License": "Nokia",
    "Open Group Test Suite License": "OGTSL",
    "Open Software License 3.0 (OSL-3.0)": "OSL-3.0",
    "PostgreSQL License": "PostgreSQL",
    "Python License (CNRI Python License)": "CNRI-Python",
    "Python Software Foundation License": "PSF-2.0",
    "Qt Public License (QPL)": "QPL-1.0",
    "Ricoh Source Code Public License": "RSCPL",
    "SIL Open Font License 1.1 (OFL-1.1)": "OFL-1.1",
    "Sleepycat License": "Sleepycat",
    "Sun Industry Standards Source License (SISSL)": "SISSL",
    "Sun Public License": "SPL-1.0",
    "The Unlicense (Unlicense)": "Unlicense",
    "Universal Permissive License (UPL)": "UPL-1.0",
    "University of Illinois/NCSA Open Source License": "NCSA",
    "Vovida Software License 1.0": "VSL-1.0",
    "W3C License": "W3C",
    "X.Net License": "Xnet",
    "Zope Public License": "",
    "zlib/libpng License": "Zlib",
    "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": "CC0-1.0",
    "Public Domain": PUBLIC_DOMAIN,
    "Other/Proprietary License": PROPRIETARY,
    "Freeware": PROPRIETARY,
    "Freely Distributable": "",
    "Aladdin Free Public License (AFPL)": "Aladdin",
    "Repoze Public License": "",
    "Eiffel Forum License": "",
    "Jabber Open Source License": "",
}

# Names after :func:`_key` (lower case, "licence" -> "license", version "2.0" -> "2",
# filler words dropped); a family without a version is deliberately absent.
NAMES: dict[str, str] = {
    "mit": "MIT",
    "expat": "MIT",
    "mit expat": "MIT",
    "mit 0": "MIT-0",
    "mit no attribution": "MIT-0",
    "apache 2": "Apache-2.0",
    "apache software 2": "Apache-2.0",
    "asl 2": "Apache-2.0",
    "al 2": "Apache-2.0",
    "apache 1.1": "Apache-1.1",
    "apache 1": "Apache-1.0",
    "isc": "ISC",
    "iscl": "ISC",
    "bsd 3 clause": "BSD-3-Clause",
    "bsd 3": "BSD-3-Clause",
    "3 clause bsd": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "bsd new": "BSD-3-Clause",
    "modified bsd": "BSD-3-Clause",
    "revised bsd": "BSD-3-Clause",
    "bsd 3 clause new or revised": "BSD-3-Clause",
    "bsd 2 clause": "BSD-2-Clause",
    "bsd 2": "BSD-2-Clause",
    "2 clause bsd": "BSD-2-Clause",
    "simplified bsd": "BSD-2-Clause",
    "bsd simplified": "BSD-2-Clause",
    "freebsd": "BSD-2-Clause",
    "bsd 4 clause": "BSD-4-Clause",
    "original bsd": "BSD-4-Clause",
    "0bsd": "0BSD",
    "zero clause bsd": "0BSD",
    "gpl 2": "GPL-2.0-only",
    "gpl 2 only": "GPL-2.0-only",
    "gpl 2 +": "GPL-2.0-or-later",
    "gpl 3": "GPL-3.0-only",
    "gpl 3 only": "GPL-3.0-only",
    "gpl 3 +": "GPL-3.0-or-later",
    "gpl 1 +": "GPL-1.0-or-later",
    "lgpl 2": "LGPL-2.0-only",
    "lgpl 2 +": "LGPL-2.0-or-later",
    "lgpl 2.1": "LGPL-2.1-only",
    "lgpl 2.1 +": "LGPL-2.1-or-later",
    "lgpl 3": "LGPL-3.0-only",
    "lgpl 3 +": "LGPL-3.0-or-later",
    "agpl 3": "AGPL-3.0-only",
    "agpl 3 +": "AGPL-3.0-or-later",
    "agpl 3 only": "AGPL-3.0-only",
    "lgpl 2 only": "LGPL-2.0-only",
    "lgpl 2.1 only": "LGPL-2.1-only",
    "lgpl 3 only": "LGPL-3.0-only",
    "afl 3": "AFL-3.0",
    "academic free 3": "AFL-3.0",
    "bsd zero clause": "0BSD",
    "0 clause bsd": "0BSD",
    "bsd 0 clause": "0BSD",
    "mpl 1.1": "MPL-1.1",
    "mpl 2": "MPL-2.0",
    "epl 1": "EPL-1.0",
    "epl 2": "EPL-2.0",
    "cddl 1": "CDDL-1.0",
    "cddl 1.1": "CDDL-1.1",
    "eupl 1.2": "EUPL-1.2",
    "eupl 1.1": "EUPL-1.1",
    "psf": "PSF-2.0",
    "psfl": "PSF-2.0",
    "psf 2": "PSF-2.0",
    "python software foundation": "PSF-2.0",
    "unlicense": "Unlicense",
    "wtfpl": "WTFPL",
    "zlib": "Zlib",
    "zlib libpng": "Zlib",
    "boost": "BSL-1.0",
    "boost software 1": "BSL-1.0",
    "bsl 1": "BSL-1.0",
    "cc0": "CC0-1.0",
    "cc 0": "CC0-1.0",
    "cc 0 1": "CC0-1.0",
    "edl 1": "BSD-3-Clause",
    "eclipse distribution 1": "BSD-3-Clause",
    "cc0 1": "CC0-1.0",
    "cc by 4": "CC-BY-4.0",
    "cc by 3": "CC-BY-3.0",
    "cc by sa 4": "CC-BY-SA-4.0",
    "cc by sa 3": "CC-BY-SA-3.0",
    "creative commons attribution 4": "CC-BY-4.0",
    "artistic 2": "Artistic-2.0",
    "perl artistic 2": "Artistic-2.0",
    "ofl 1.1": "OFL-1.1",
    "sil open font 1.1": "OFL-1.1",
    "upl 1": "UPL-1.0",
    "universal permissive 1": "UPL-1.0",
    "postgresql": "PostgreSQL",
    "ms pl": "MS-PL",
    "microsoft public": "MS-PL",
    "hpnd": "HPND",
    "public domain": PUBLIC_DOMAIN,
    "pd": PUBLIC_DOMAIN,  # Debian copyright files' short name
    # Debian's short names: GFDL with no invariant sections, Ruby's BSDL file.
    "gfdl niv 1.1": "GFDL-1.1-no-invariants-only",
    "gfdl niv 1.1 +": "GFDL-1.1-no-invariants-or-later",
    "gfdl niv 1.2": "GFDL-1.2-no-invariants-only",
    "gfdl niv 1.2 +": "GFDL-1.2-no-invariants-or-later",
    "gfdl niv 1.3": "GFDL-1.3-no-invariants-only",
    "gfdl niv 1.3 +": "GFDL-1.3-no-invariants-or-later",
    "2 clause bsdl": "BSD-2-Clause",
    "ruby": "Ruby",
    "ruby s": "Ruby",
    "bsd 3 clause new": "BSD-3-Clause",
    "asf 2": "Apache-2.0",
    "w 3 c": "W3C",  # "W3C License", as the trove classifier of that name
    "w 3 c software": "W3C",
    "indiana university extreme lab software 1.1.1": "xpp",
    "unlicensed": PROPRIETARY,
    "proprietary": PROPRIETARY,
    "commercial": PROPRIETARY,
    "all rights reserved": PROPRIETARY,
}

# Deprecated SPDX ids that license-expression keeps as they are.
DEPRECATED: dict[str, str] = {
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-or-later WITH Bison-exception-2.2",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "BSD-2-Clause-FreeBSD": "BSD-2-Clause",
    "BSD-2-Clause-NetBSD": "BSD-2-Clause",
    "StandardML-NJ": "SMLNJ",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "wxWindows": "GPL-2.0-or-later WITH WxWindows-exception-3.1",
    "bzip2-1.0.5": "bzip2-1.0.6",
}

# Long family names -> the abbreviation NAMES uses.
_FAMILIES = (
    ("gnu affero general public", "agpl"),
    ("affero general public", "agpl"),
    ("gnu lesser general public", "lgpl"),
    ("gnu library general public", "lgpl"),
    ("lesser general public", "lgpl"),
    ("gnu general public", "gpl"),
    ("general public", "gpl"),
    ("mozilla public", "mpl"),
    ("eclipse public", "epl"),
    ("common development and distribution", "cddl"),
    ("european union public", "eupl"),
    ("creative commons", "cc"),
    ("apache software foundation", "apache"),
    ("or any later", "+"),
    ("or later", "+"),
    ("or newer", "+"),
    ("or greater", "+"),
    ("and later", "+"),
)
_FILLER = {"gnu", "the", "license", "licenses", "version", "ver", "v", "a", "style", "type", "of"}
_SPLIT_ALNUM = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_WORDS = re.compile(r"[a-z0-9.+]+")


# Exceptions by name, after :func:`_key`, for "<license> with <exception>".
EXCEPTIONS: dict[str, str] = {
    "classpath exception": "Classpath-exception-2.0",
    "classpath": "Classpath-exception-2.0",
    "libtool exception": "Libtool-exception",
    "llvm exception": "LLVM-exception",
    "gcc runtime library exception": "GCC-exception-3.1",
    "font exception": "Font-exception-2.0",
}


def exception(text: str) -> str | None:
    return EXCEPTIONS.get(_key(text))


def _key(text: str) -> str:
    t = text.lower().replace("licence", "license").replace("’", "'")
    t = re.sub(r"(?<=\d)_(?=\d)", ".", t)  # lgpl_v2_1
    for long, short in _FAMILIES:
        t = t.replace(long, short)
    t = _SPLIT_ALNUM.sub(" ", re.sub(r"([a-z])v(?=\d)", r"\1 ", t.replace("+", " + ")))
    words: list[str] = []
    for w in _WORDS.findall(t):
        w = w.strip(".")
        if not w or w in _FILLER:
            continue
        if re.fullmatch(r"\d+(\.0)+", w):
            w = w.split(".")[0]
        if w not in words:  # "Mozilla Public License 2.0 (MPL 2.0)" names itself twice
            words.append(w)
    return " ".join(words)


_URLS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), v)
    for p, v in (
        (r"apache\.org/licenses/license-2\.0", "Apache-2.0"),
        (r"gnu\.org/licenses/gpl\.html$", "GPL-3.0-only"),
        (r"gnu\.org/licenses/lgpl\.html$", "LGPL-3.0-only"),
        (r"gnu\.org/licenses/agpl\.html$", "AGPL-3.0-only"),
        (r"gnu\.org/licenses/(?:old-licenses/)?(a?gpl|lgpl)-(\d\.\d)", r"\1-\2-only"),
        (r"mozilla\.org/(?:en-us/)?mpl/2\.0", "MPL-2.0"),
        (r"mozilla\.org/(?:en-us/)?mpl/1\.1", "MPL-1.1"),
        (r"eclipse\.org/legal/epl-v10", "EPL-1.0"),
        (r"eclipse\.org/legal/epl-(?:v)?20", "EPL-2.0"),
        (r"eclipse\.org/legal/epl-2\.0", "EPL-2.0"),
        (r"creativecommons\.org/publicdomain/zero/1\.0", "CC0-1.0"),
        (r"creativecommons\.org/licenses/(by(?:-nc)?(?:-sa|-nd)?)/(\d\.\d)", r"CC-\1-\2"),
        (r"boost\.org/license_1_0", "BSL-1.0"),
        (r"unlicense\.org", "Unlicense"),
        (r"wtfpl\.net", "WTFPL"),
        (
            r"(?:spdx\.org/licenses|opensource\.org/licenses?|choosealicense\.com/licenses)"
            r"/([a-z0-9.+-]+?)(?:-license)?(?:\.html|\.php|\.txt)?$",
            r"\1",
        ),
    )
)


def _from_url(text: str) -> str | None:
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", text.lower()).rstrip("/")
    for pattern, value in _URLS:
        found = pattern.search(url)
        if found:
            return found.expand(value).upper() if "\\" in value else value
    return None


def lookup(text: str) -> str | None:
    """The SPDX id (or sbomkit LicenseRef) for a name, classifier or URL; None if unsure."""
    if text in DEPRECATED:
        return DEPRECATED[text]
    if text.startswith("License ::"):
        leaf = text.removeprefix("License ::").strip().removeprefix("OSI Approved ::").strip()
        return CLASSIFIERS.get(leaf) or None
    if re.match(r"^(?:https?://|www\.)", text, re.IGNORECASE):
        return _url_id(text)
    return NAMES.get(_key(text))


def _url_id(text: str) -> str | None:
    from sbomkit.licenses.normalize import spdx_expression

    found = _from_url(text)
    if found is None:
        return None
    if found.startswith(("LicenseRef-", "CC0")) or found in NAMES.values():
        return found
    # opensource.org/licenses/MIT, spdx.org/licenses/Apache-2.0.html, /bsd-license.php ...
    return NAMES.get(_key(found)) or spdx_expression(found)
