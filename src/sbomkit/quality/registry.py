"""Profile name -> rules. ``--profile`` choices come from here."""

from __future__ import annotations

from sbomkit.model import Inventory
from sbomkit.quality import bsi, cisa, meti, ntia
from sbomkit.quality.engine import ProfileResult, Rule, evaluate

PROFILES: dict[str, tuple[Rule, ...]] = {
    "ntia": ntia.RULES,
    "cisa-2024": cisa.RULES,
    "bsi-tr03183-2.1": bsi.RULES,
    "meti": meti.RULES,
}


def check(inventory: Inventory, profiles: tuple[str, ...]) -> tuple[ProfileResult, ...]:
    return tuple(evaluate(p, PROFILES[p], inventory) for p in profiles)
