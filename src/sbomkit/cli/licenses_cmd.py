"""``sbomkit licenses TARGET`` and ``sbomkit notices TARGET``: wiring only."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import click
import orjson

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.i18n import Msg, render
from sbomkit.licenses.analyze import Analysis, analyze
from sbomkit.licenses.policy import MODELS, Verdict, default_policy, load
from sbomkit.model import Inventory
from sbomkit.report.summary import print_diagnostics

FORMATS = ("table", "json", "csv", "html")


def _inventory(target: Path) -> tuple[Inventory, Path | None]:
    """A directory is cataloged (its files are then searched for license texts); a file is
    read as an SBOM."""
    if target.is_dir():
        from sbomkit.catalog.build import build_inventory

        return build_inventory(target), target.resolve()
    from sbomkit.formats.readers import read_sbom

    return read_sbom(target), None


def _warn_without_spdx_texts(ctx: click.Context) -> None:
    """Once per run: detection works without the SPDX texts, but less well."""
    from sbomkit.licenses.texts import spdx_texts_installed

    settings = current_settings(ctx)
    if not settings.quiet and not spdx_texts_installed():
        click.echo(f"sbomkit: {render(Msg.LIC_TEXTS_MISSING, settings.lang)}", err=True)


def _analysis(target: Path, policy_file: Path | None, model: str | None) -> Analysis:
    policy = load(policy_file) if policy_file else default_policy()
    inventory, root = _inventory(target)
    return analyze(inventory, policy, model or policy.distribution, root)


@click.command()
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Policy TOML (default: built-in).",
)
@click.option(
    "--distribution",
    type=click.Choice(MODELS),
    help="How the product is distributed (default: the policy's).",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the report here (default: stdout).",
)
@click.option(
    "--sbom",
    "sbom_out",
    type=click.Path(path_type=Path),
    help="Also write a CycloneDX 1.6 SBOM carrying the results.",
)
@common_options
@click.pass_context
def licenses(
    ctx: click.Context,
    target: Path,
    policy_file: Path | None,
    distribution: str | None,
    fmt: str,
    output: Path | None,
    sbom_out: Path | None,
) -> int:
    """Check every component's license against a policy; exit 2 when one is denied."""
    settings = current_settings(ctx)
    _warn_without_spdx_texts(ctx)
    analysis = _analysis(target, policy_file, distribution)
    text = {"table": _table, "json": _json, "csv": _csv, "html": _html}[fmt](analysis)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    if sbom_out is not None:
        from sbomkit.formats.registry import get_writer

        sbom_out.write_bytes(get_writer("cyclonedx-json", None).write(analysis.inventory))
    report = analysis.report
    if not settings.quiet:
        summary = render(
            Msg.LICENSE_SUMMARY,
            settings.lang,
            components=len(report.decisions),
            allow=report.count(Verdict.ALLOW),
            review=report.count(Verdict.REVIEW),
            deny=report.count(Verdict.DENY),
            conflicts=len(report.conflicts),
        )
        click.echo(summary, err=True)
    print_diagnostics(analysis.inventory.diagnostics, settings.lang, settings.quiet)
    denied = report.count(Verdict.DENY) or report.conflicts
    return Exit.FINDINGS if denied else Exit.OK


@click.command()
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="THIRD_PARTY_NOTICES.txt or .html",
)
@common_options
@click.pass_context
def notices(ctx: click.Context, target: Path, output: Path) -> int:
    """Write the attribution file: components, licenses, copyright lines, license texts."""
    from sbomkit.licenses.notices import render_html, render_text

    settings = current_settings(ctx)
    _warn_without_spdx_texts(ctx)
    analysis = _analysis(target, None, "internal")
    html_out = output.suffix.lower() in (".html", ".htm")
    output.write_text((render_html if html_out else render_text)(analysis), encoding="utf-8")
    print_diagnostics(analysis.inventory.diagnostics, settings.lang, settings.quiet)
    return Exit.OK


def _rows(analysis: Analysis) -> list[list[str]]:
    return [
        [
            d.name,
            d.version or "",
            d.expression,
            d.source,
            d.category.value,
            d.verdict.value,
            d.chosen,
            d.reason,
        ]
        for d in analysis.report.decisions
    ]


HEADER = ["component", "version", "license", "source", "category", "verdict", "chosen", "reason"]


def _table(analysis: Analysis) -> str:
    rows = [HEADER, *_rows(analysis)]
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(6)]
    lines = ["  ".join(r[i][:40].ljust(widths[i]) for i in range(6)).rstrip() for r in rows]
    lines.extend(
        f"CONFLICT {c.license} ({c.category}): {' -> '.join(c.path)}"
        for c in analysis.report.conflicts
    )
    return "\n".join(lines) + "\n"


def _json(analysis: Analysis) -> str:
    report = analysis.report
    data = {
        "distribution": report.distribution,
        "components": [
            dict(zip(HEADER, r, strict=True)) | {"ref": d.ref}
            for r, d in zip(_rows(analysis), report.decisions, strict=True)
        ],
        "conflicts": [
            {"ref": c.ref, "license": c.license, "category": c.category.value, "path": list(c.path)}
            for c in report.conflicts
        ],
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


def _csv(analysis: Analysis) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows([HEADER, *_rows(analysis)])
    return buf.getvalue()


def _html(analysis: Analysis) -> str:
    esc = html.escape
    cells = "".join(
        "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for r in _rows(analysis)
    )
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    conflicts = "".join(
        f"<li>{esc(c.license)}: {esc(' -> '.join(c.path))}</li>" for c in analysis.report.conflicts
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Licenses</title></head>'
        f"<body><table><tr>{head}</tr>{cells}</table><ul>{conflicts}</ul></body></html>\n"
    )
