"""SPDX 3.0.1 JSON-LD: the writer and the reader.

The writer builds one ``@graph`` (:mod:`._spdx3_write`); the reader (:mod:`._spdx3_read`)
maps every element the writer writes back, so ``read(write(inventory))`` gives the
inventory again (sorted and merged as every writer does). Mapping decisions:

- one ``CreationInfo`` (``_:creationinfo``): ``created`` is the inventory timestamp,
  ``createdBy`` the authors as Person/Organization (a SoftwareAgent for the tool when there
  are none), ``createdUsing`` the tools as Tool elements whose version and vendor are
  properties (below). An ``SpdxDocument`` (dataLicense CC0-1.0) whose root is one
  ``software_Sbom``; the Sbom's root is the primary component (without one: the roots of
  the dependency graph), its ``software_sbomType`` the lifecycle (design, pre-build ->
  source, build, post-build -> analyzed, operations -> deployed).
- spdxIds are ``<namespace>#SPDXRef-Package-<name>-<10 hex of sha256(ref)>`` as in SPDX 2.3;
  the namespace ``https://sbomkit.invalid/spdxdocs/<name>-<uuid>`` is derived from the
  content under SOURCE_DATE_EPOCH, random otherwise.
- a component is a ``software_Package`` (a FILE component without purl and version: a
  ``software_File``): name, software_packageVersion, software_packageUrl,
  software_downloadLocation / software_homePage (when they are IRIs), software_copyrightText,
  description, verifiedUsing Hash, externalIdentifier cpe22/cpe23, externalRef,
  software_primaryPurpose from the type, suppliedBy an Organization, originatedBy a Person
  (``Person:`` / ``Organization:`` prefixes and ``<email>`` as parse_contact reads them).
- licenses: one ``simplelicensing_LicenseExpression`` per distinct expression, written as
  given; a text that is no SPDX expression is ``LicenseRef-<name>`` whose customIdToUri
  points to a ``simplelicensing_SimpleLicensingText``. Relationships hasDeclaredLicense
  and hasConcludedLicense list them in the component's order.
- properties: SPDX 3 has no generic property, but its Extension profile has
  ``extension_CdxPropertiesExtension``, name/value pairs made for CycloneDX properties.
  A component's properties go there, with the facts SPDX 3 has no field for:
  ``sbomkit:scope`` (when not required), ``sbomkit:direct``, ``sbomkit:found-by``,
  ``sbomkit:location`` (path:line), ``sbomkit:ecosystem`` and ``sbomkit:ref`` (no purl),
  ``sbomkit:source-url`` / ``sbomkit:homepage`` (not an IRI, or on a File),
  ``sbomkit:type`` (cryptographic-asset). Chosen over ``comment`` because it is typed
  data a consumer can read without parsing our text, and over Annotations because those
  are separate elements, three per fact.
- dependencies: one Relationship per (from, type, scope) with all targets in ``to``:

  ========================  ==============================================
  Dependency.kind           SPDX 3 (``<-`` ends swapped; scope)
  ========================  ==============================================
  DEPENDS_ON                dependsOn
  DEV_DEPENDENCY_OF         <- dependsOn, LifecycleScoped "development"
  BUILD_/TEST_/RUNTIME_     <- dependsOn, scope build / test / runtime
  DEPENDENCY_OF
  OPTIONAL_/PROVIDED_       <- hasOptionalDependency / hasProvidedDependency
  DEPENDENCY_OF
  CONTAINS, DESCRIBES,      contains, describes, generates
  GENERATES
  BUILD_/DEV_/TEST_TOOL_OF  <- usesTool, scope build / development / test
  others                    the SPDX 3.0 migration guide, _spdx3_maps.RELATIONSHIPS
  unknown                   other, the kind in ``comment``
  ========================  ==============================================

  The reader gives the first kind listed for an SPDX 3 form, so ``contains`` reads as
  CONTAINS and never CONTAINED_BY. Edges whose ends are not in the document are left out.
- what the model cannot hold is kept in ``extra`` as ``("spdx3:<type-or-field>", JSON)``:
  element types (Annotation, software_Snippet, build_Build, security_Vulnerability, VEX
  and other unmapped relationships) on the inventory, or on a component when they
  annotate it; fields (builtTime, ai_*, dataset_*, SpdxDocument import/namespaceMap, ...)
  on their element. Links to a component are kept as ``urn:sbomkit:ref:<ref>`` and become
  the new spdxId when written.

Not read: the ``expandedlicensing`` set and operator elements (a diagnostic each); agents
referenced only from data kept in ``extra`` get new spdxIds and those links dangle.
"""

from __future__ import annotations

from typing import ClassVar

from sbomkit.formats._spdx3_maps import SPEC
from sbomkit.formats._spdx3_read import read_document
from sbomkit.formats._spdx3_write import write_document
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import Inventory

SPECS = (SPEC,)


class Spdx3Writer:
    name = "spdx3-json"
    media_type = "application/spdx+json"
    extension = ".spdx3.json"
    spec = SPEC
    specs = SPECS

    def for_spec(self, spec: str) -> Spdx3Writer:
        if spec not in SPECS:
            raise FormatError(Msg.BAD_OPTION, detail=f"SPDX {spec} is not supported; choose {SPEC}")
        return self

    def write(self, inventory: Inventory) -> bytes:
        return write_document(inventory)


class Spdx3Reader:
    name: ClassVar[str] = "spdx3-jsonld"

    def read(self, data: bytes, rel: str) -> Inventory:
        return read_document(data, rel)
