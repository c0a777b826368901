"""METI (Japan), 「ソフトウェア管理に向けたSBOM（Software Bill of Materials）の導入に関する
手引」 ver 2.0 (2024) -- "Guidance on Introduction of SBOM for Software Management".

The guidance takes the NTIA minimum elements as the baseline of an SBOM and, for the
SBOM creation and sharing phase (SBOM作成・共有フェーズ), stresses component licences, hashes
and a current format version on top. The NTIA elements are ``required``; the extra items
``recommended``, since the guidance recommends rather than mandates them.
"""

from __future__ import annotations

from dataclasses import replace

from sbomkit.i18n import Msg
from sbomkit.model import Component
from sbomkit.quality import ntia
from sbomkit.quality.checks import (
    Verdict,
    any_license,
    format_at_least,
    per_component,
    per_document,
)
from sbomkit.quality.engine import Level, Rule

_SRC = "METI SBOM手引 ver2.0, SBOM作成・共有フェーズ"
# The newest format versions when ver 2.0 was written (2024) that tools widely produce:
# CycloneDX 1.5 and 1.6, SPDX 2.3 and 3.0.x.
_CURRENT = {"cyclonedx": (1, 5), "spdx": (2, 3)}


def _hash(c: Component) -> Verdict:
    return None if c.hashes else Msg.Q_WHY_MISSING


def _from_ntia(rule: Rule) -> Rule:
    element = rule.clause.rpartition(": ")[2]
    return replace(
        rule,
        id=rule.id.replace("ntia.", "meti."),
        clause=f"{_SRC} (NTIA minimum element: {element})",
    )


RULES: tuple[Rule, ...] = (
    *(_from_ntia(r) for r in ntia.RULES),
    Rule(
        "meti.license",
        Level.RECOMMENDED,
        "component.licenses",
        f"{_SRC} (ライセンス / component licence)",
        Msg.Q_LICENSE,
        per_component(any_license),
    ),
    Rule(
        "meti.hash",
        Level.RECOMMENDED,
        "component.hashes",
        f"{_SRC} (ハッシュ値 / component hash)",
        Msg.Q_HASH,
        per_component(_hash),
    ),
    Rule(
        "meti.format-current",
        Level.RECOMMENDED,
        "metadata.spec",
        f"{_SRC} (フォーマットのバージョン / format version)",
        Msg.Q_FORMAT_CURRENT,
        per_document(lambda inv: format_at_least(inv, _CURRENT)),
    ),
)
