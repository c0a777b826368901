"""``sbomkit explain`` output: the lookup, every entry considered, the verdict, the fix."""

from __future__ import annotations

from rich.console import Console

from sbomkit.i18n import Msg, render
from sbomkit.match.explain import EntryReport, Explanation
from sbomkit.versions.osv_affected import Outcome


def _t(code: Msg, lang: str, **kw: object) -> str:
    return render(code, lang, None, "", **kw)


def explanation_lines(x: Explanation, lang: str) -> list[str]:
    c = x.component
    shown = c.ref
    if x.lookup is None:
        return [f"{shown}: {_t(Msg.SCAN_NO_IDENTITY, lang)}"]
    if not c.version:
        return [f"{shown}: {_t(Msg.SCAN_NO_VERSION, lang)}"]
    eco, name = x.lookup.ecosystem, x.lookup.name
    lines = [_t(Msg.EXPLAIN_LOOKUP, lang, component=shown, name=name, ecosystem=eco)]
    if x.outcome is None:
        lines.append(_t(Msg.EXPLAIN_NO_ADVISORY, lang, vuln=x.vuln, name=name, ecosystem=eco))
        lines.append(_t(Msg.EXPLAIN_NOT_MATCHED, lang, component=shown, vuln=x.vuln))
        return lines
    for r in x.entries:
        lines += _entry_lines(r, x, lang)
    verdict = {
        Outcome.AFFECTED: Msg.EXPLAIN_MATCHED,
        Outcome.NOT_AFFECTED: Msg.EXPLAIN_NOT_MATCHED,
        Outcome.UNKNOWN: Msg.EXPLAIN_UNDECIDED,
    }[x.outcome]
    lines.append(_t(verdict, lang, component=shown, vuln=x.vuln))
    if x.outcome is Outcome.AFFECTED:
        if x.fix:
            lines.append(_t(Msg.SCAN_FIX, lang, version=x.fix))
        else:
            lines.append(_t(Msg.SCAN_NO_FIX, lang, ids=x.vuln))
    return lines


def _entry_lines(r: EntryReport, x: Explanation, lang: str) -> list[str]:
    e = r.entry
    aliases = ", ".join(e.aliases) or "-"
    head = _t(
        Msg.EXPLAIN_ENTRY,
        lang,
        advisory=e.advisory_id,
        aliases=aliases,
        ecosystem=e.ecosystem,
        name=e.name,
    )
    out = [head]
    for i, rng in enumerate(r.affected.ranges):
        events = ", ".join(str(ev) for ev in rng.events)
        out.append(f"  range {i} ({rng.type}): {events}")
    if r.affected.versions:
        listed = ", ".join(r.affected.versions[:10])
        more = f" (+{len(r.affected.versions) - 10})" if len(r.affected.versions) > 10 else ""
        out.append(f"  versions: {listed}{more}")
    if e.withdrawn is not None:
        out.append("  " + _t(Msg.EXPLAIN_WITHDRAWN, lang, date=e.withdrawn))
    elif not r.considered and x.lookup is not None:
        release = x.lookup.release or "-"
        out.append(
            "  " + _t(Msg.EXPLAIN_OTHER_RELEASE, lang, ecosystem=e.ecosystem, release=release)
        )
    if r.verdict is not None:
        why = r.verdict.explain() or "-"
        version = x.component.version
        out.append(
            "  "
            + _t(
                Msg.EXPLAIN_VERDICT, lang, version=version, outcome=r.verdict.outcome.value, why=why
            )
        )
        out += [f"  note: {n}" for n in r.verdict.notes if r.verdict.explain() != n]
    return out


def print_explanation(x: Explanation, lang: str, console: Console) -> None:
    for line in explanation_lines(x, lang):
        console.print(line, markup=False)
