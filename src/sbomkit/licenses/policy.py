"""License policy: a TOML file of allow/review/deny rules per distribution model.

    [default]                       # every distribution model
    allow = ["permissive", "public-domain"]
    review = ["unknown"]
    [models.distributed-binary]     # overrides for one model
    deny = ["strong-copyleft", "GPL-2.0-only WITH Classpath-exception-2.0"]
    [categories]                    # classify ids the built-in table does not know
    "LicenseRef-acme-eula" = "proprietary"
    [[exceptions]]
    component = "pkg:npm/left-pad"  # purl (with or without version) or name
    license = "GPL-3.0-only"        # optional: only this license
    reason = "LEGAL-42: used at build time only"
    expires = 2027-01-01

A rule names an SPDX id, a full ``X WITH Y`` term, or a category. An id rule beats a
category rule, a model's rule beats a default one; a license no rule names is reviewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import rtoml

from sbomkit.errors import UsageError
from sbomkit.i18n import Msg
from sbomkit.licenses.categories import Category


class Verdict(StrEnum):
    ALLOW = "allow"
    REVIEW = "review"
    DENY = "deny"


VERDICT_RANK = {Verdict.ALLOW: 0, Verdict.REVIEW: 1, Verdict.DENY: 2}
MODELS = ("internal", "saas", "distributed-binary", "distributed-source")


@dataclass(frozen=True, slots=True)
class Exception_:
    component: str
    reason: str
    license: str | None = None
    expires: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    # model ("" = every model) -> lower-cased id, term or category -> verdict
    rules: dict[str, dict[str, Verdict]]
    categories: dict[str, Category] = field(default_factory=dict)
    exceptions: tuple[Exception_, ...] = ()
    distribution: str = "distributed-binary"

    def rule(self, model: str, key: str) -> Verdict | None:
        key = key.lower()
        return self.rules.get(model, {}).get(key) or self.rules.get("", {}).get(key)


DEFAULT = """
distribution = "distributed-binary"
[default]
allow = ["permissive", "public-domain"]
review = ["weak-copyleft", "unknown", "proprietary"]
[models.internal]
allow = ["weak-copyleft", "strong-copyleft", "network-copyleft"]
[models.saas]
allow = ["strong-copyleft"]
deny = ["network-copyleft"]
[models.distributed-binary]
deny = ["strong-copyleft", "network-copyleft"]
[models.distributed-source]
review = ["strong-copyleft", "network-copyleft"]
"""


def default_policy() -> Policy:
    return parse(rtoml.loads(DEFAULT), "built-in policy")


def load(path: Path) -> Policy:
    try:
        data = rtoml.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, rtoml.TomlParsingError) as e:
        raise UsageError(Msg.LICENSE_POLICY_INVALID, str(path), str(e).splitlines()[0]) from e
    return parse(data, str(path))


def parse(data: dict[str, object], where: str) -> Policy:
    def bad(detail: str) -> UsageError:
        return UsageError(Msg.LICENSE_POLICY_INVALID, where, detail)

    known = {"distribution", "default", "models", "categories", "exceptions"}
    if unknown := sorted(set(data) - known):
        raise bad(f"unknown key {unknown[0]!r}; expected one of {', '.join(sorted(known))}")
    rules = {"": _rules(data.get("default", {}), "default", bad)}
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise bad("models must be a table")
    for model, table in models.items():
        if model not in MODELS:
            raise bad(f"models.{model}: unknown distribution model; use {', '.join(MODELS)}")
        rules[model] = _rules(table, f"models.{model}", bad)
    distribution = data.get("distribution", "distributed-binary")
    if distribution not in MODELS:
        raise bad(f"distribution {distribution!r} is not one of {', '.join(MODELS)}")
    return Policy(
        rules, _categories(data.get("categories", {}), bad), _exceptions(data, bad), distribution
    )


def _rules(table: object, where: str, bad: Callable[[str], UsageError]) -> dict[str, Verdict]:
    if not isinstance(table, dict):
        raise bad(f"{where} must be a table")
    out: dict[str, Verdict] = {}
    for key, names in table.items():
        if key not in Verdict.__members__.values():
            raise bad(f"{where}.{key}: expected allow, review or deny")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise bad(f"{where}.{key} must be a list of license ids or categories")
        for name in names:
            out[name.lower()] = Verdict(key)
    return out


def _categories(table: object, bad: Callable[[str], UsageError]) -> dict[str, Category]:
    if not isinstance(table, dict):
        raise bad("categories must be a table")
    values = {c.value for c in Category}
    out: dict[str, Category] = {}
    for key, value in table.items():
        if value not in values:
            raise bad(f"categories.{key}: {value!r} is not one of {', '.join(sorted(values))}")
        out[key.lower()] = Category(value)
    return out


def _exceptions(
    data: dict[str, object], bad: Callable[[str], UsageError]
) -> tuple[Exception_, ...]:
    entries = data.get("exceptions", [])
    if not isinstance(entries, list):
        raise bad("exceptions must be an array of tables ([[exceptions]])")
    out = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not e.get("component") or not e.get("reason"):
            raise bad(f"exceptions[{i}]: needs component and reason")
        expires = e.get("expires")
        if expires is not None and not isinstance(expires, dt.date):
            raise bad(f"exceptions[{i}].expires: {expires!r} is not a date (2027-01-31)")
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        out.append(Exception_(str(e["component"]), str(e["reason"]), e.get("license"), expires))
    return tuple(out)
