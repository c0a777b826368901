"""Every output format by name. ``--format`` choices come from :data:`WRITERS`."""

from __future__ import annotations

from sbomkit.errors import UsageError
from sbomkit.formats.cyclonedx import CycloneDxJsonWriter, CycloneDxXmlWriter
from sbomkit.formats.interface import Writer
from sbomkit.formats.spdx2 import Spdx2JsonWriter, Spdx2TagValueWriter
from sbomkit.formats.spdx3 import Spdx3Writer
from sbomkit.i18n import Msg

# Each writer in its default specification version (CycloneDX 1.6, SPDX 2.3, SPDX 3.0.1).
WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        CycloneDxJsonWriter(),
        CycloneDxXmlWriter(),
        Spdx2JsonWriter(),
        Spdx2TagValueWriter(),
        Spdx3Writer(),
    )
}
# The versions ``--spec-version`` may name: CycloneDX's, the only format with a choice.
CYCLONEDX_SPECS: tuple[str, ...] = tuple(sorted(CycloneDxJsonWriter.specs))


def get_writer(name: str, spec: str | None = None) -> Writer:
    """The writer for ``--format NAME`` in ``--spec-version SPEC`` (default: the newest)."""
    writer = WRITERS.get(name)
    if writer is None:
        detail = f"unknown format {name!r}; choose one of {', '.join(sorted(WRITERS))}"
        raise UsageError(Msg.BAD_OPTION, detail=detail)
    if spec is None or spec == writer.spec:
        return writer
    if spec not in writer.specs:
        choices = ", ".join(sorted(writer.specs))
        detail = f"{name} cannot write spec version {spec}; choose {choices}"
        raise UsageError(Msg.BAD_OPTION, detail=detail)
    return writer.for_spec(spec)
