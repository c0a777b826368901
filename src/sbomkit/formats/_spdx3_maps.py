"""SPDX 3.0.1 vocabulary tables: one place per mapping, read in both directions."""

from __future__ import annotations

from sbomkit.model import ComponentType

SPEC = "3.0.1"
CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
TERMS = "https://spdx.org/rdf/3.0.1/terms/"
CREATION_INFO = "_:creationinfo"
# A component's spdxId inside data kept verbatim (extra): the ref, so links survive rewrites.
REF_PREFIX = "urn:sbomkit:ref:"
DOCUMENT_LINK, SBOM_LINK = "urn:sbomkit:document", "urn:sbomkit:sbom"

# Dependency.kind (SPDX 2.3 name) -> (SPDX 3 relationshipType, ends swapped, lifecycle scope).
# The SPDX 3.0 migration guide's table. Where two kinds share an SPDX 3 form, the first
# listed is what the reader gives back, so forward names come first.
RELATIONSHIPS: dict[str, tuple[str, bool, str | None]] = {
    "DEPENDS_ON": ("dependsOn", False, None),
    "DEPENDENCY_OF": ("dependsOn", True, None),
    "DEV_DEPENDENCY_OF": ("dependsOn", True, "development"),
    "BUILD_DEPENDENCY_OF": ("dependsOn", True, "build"),
    "TEST_DEPENDENCY_OF": ("dependsOn", True, "test"),
    "RUNTIME_DEPENDENCY_OF": ("dependsOn", True, "runtime"),
    "OPTIONAL_DEPENDENCY_OF": ("hasOptionalDependency", True, None),
    "PROVIDED_DEPENDENCY_OF": ("hasProvidedDependency", True, None),
    "DEPENDENCY_MANIFEST_OF": ("hasDependencyManifest", True, None),
    "CONTAINS": ("contains", False, None),
    "CONTAINED_BY": ("contains", True, None),
    "DESCRIBES": ("describes", False, None),
    "DESCRIBED_BY": ("describes", True, None),
    "GENERATES": ("generates", False, None),
    "GENERATED_FROM": ("generates", True, None),
    "ANCESTOR_OF": ("ancestorOf", False, None),
    "DESCENDANT_OF": ("descendantOf", False, None),
    "VARIANT_OF": ("hasVariant", True, None),
    "DISTRIBUTION_ARTIFACT": ("hasDistributionArtifact", False, None),
    "PATCH_FOR": ("patchedBy", True, None),
    "PATCH_APPLIED": ("patchedBy", True, None),
    "COPY_OF": ("copiedTo", True, None),
    "FILE_ADDED": ("hasAddedFile", True, None),
    "FILE_DELETED": ("hasDeletedFile", True, None),
    "FILE_MODIFIED": ("modifiedBy", False, None),
    "EXPANDED_FROM_ARCHIVE": ("expandsTo", True, None),
    "DYNAMIC_LINK": ("hasDynamicLink", False, None),
    "STATIC_LINK": ("hasStaticLink", False, None),
    "DATA_FILE_OF": ("hasDataFile", True, None),
    "TEST_CASE_OF": ("hasTestCase", True, None),
    "BUILD_TOOL_OF": ("usesTool", True, "build"),
    "DEV_TOOL_OF": ("usesTool", True, "development"),
    "TEST_TOOL_OF": ("usesTool", True, "test"),
    "TEST_OF": ("hasTest", True, None),
    "DOCUMENTATION_OF": ("hasDocumentation", True, None),
    "OPTIONAL_COMPONENT_OF": ("hasOptionalComponent", True, None),
    "METAFILE_OF": ("hasMetadata", True, None),
    "PACKAGE_OF": ("packagedBy", False, None),
    "AMENDS": ("amendedBy", True, None),
    "HAS_PREREQUISITE": ("hasPrerequisite", False, None),
    "PREREQUISITE_FOR": ("hasPrerequisite", True, None),
    "REQUIREMENT_DESCRIPTION_FOR": ("hasRequirement", True, None),
    "SPECIFICATION_FOR": ("hasSpecification", True, None),
    "EXAMPLE_OF": ("hasExample", True, None),
    "OTHER": ("other", False, None),
}
# (relationshipType, scope) -> (kind, ends swapped)
KINDS: dict[tuple[str, str | None], tuple[str, bool]] = {}
for _kind, (_rel, _swap, _scope) in RELATIONSHIPS.items():
    KINDS.setdefault((_rel, _scope), (_kind, _swap))
LICENSE_RELATIONSHIPS = {"hasDeclaredLicense": False, "hasConcludedLicense": True}

PURPOSES: dict[ComponentType, str] = {
    ComponentType.APPLICATION: "application",
    ComponentType.FRAMEWORK: "framework",
    ComponentType.LIBRARY: "library",
    ComponentType.FILE: "file",
    ComponentType.CONTAINER: "container",
    ComponentType.PLATFORM: "platform",
    ComponentType.OPERATING_SYSTEM: "operatingSystem",
    ComponentType.DEVICE: "device",
    ComponentType.DEVICE_DRIVER: "deviceDriver",
    ComponentType.FIRMWARE: "firmware",
    ComponentType.MACHINE_LEARNING_MODEL: "model",
    ComponentType.DATA: "data",
    ComponentType.SOURCE: "source",
    ComponentType.ARCHIVE: "archive",
    ComponentType.INSTALL: "install",
    ComponentType.OTHER: "other",
}  # CRYPTOGRAPHIC_ASSET has no SPDX word: "other" plus a sbomkit:type property
TYPES = {purpose: t for t, purpose in PURPOSES.items()}
# Package subclasses of other profiles and the component type they default to.
PACKAGE_TYPES: dict[str, ComponentType] = {
    "software_Package": ComponentType.LIBRARY,
    "ai_AIPackage": ComponentType.MACHINE_LEARNING_MODEL,
    "dataset_DatasetPackage": ComponentType.DATA,
}
FILE_TYPE = "software_File"

# CycloneDX algorithm name (Hash.algorithm) -> SPDX 3 HashAlgorithm.
HASHES: dict[str, str] = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
    "SHA3-256": "sha3_256",
    "SHA3-384": "sha3_384",
    "SHA3-512": "sha3_512",
    "BLAKE2b-256": "blake2b256",
    "BLAKE2b-384": "blake2b384",
    "BLAKE2b-512": "blake2b512",
    "BLAKE3": "blake3",
}
ALGORITHMS = {spdx: cdx for cdx, spdx in HASHES.items()}

# CycloneDX externalReference type (ExternalRef.type) -> SPDX 3 ExternalRefType. SPDX 3
# types without a CycloneDX twin (npm, mavenCentral, funding, ...) are kept by their name.
REF_TYPES: dict[str, str] = {
    "vcs": "vcs",
    "issue-tracker": "issueTracker",
    "website": "altWebPage",
    "advisories": "securityAdvisory",
    "mailing-list": "mailingList",
    "social": "socialMedia",
    "chat": "chat",
    "documentation": "documentation",
    "support": "support",
    "source-distribution": "sourceArtifact",
    "distribution": "altDownloadLocation",
    "license": "license",
    "build-meta": "buildMeta",
    "build-system": "buildSystem",
    "release-notes": "releaseNotes",
    "security-contact": "securityPolicy",
    "threat-model": "securityThreatModel",
    "adversary-model": "securityAdversaryModel",
    "risk-assessment": "riskAssessment",
    "vulnerability-assertion": "vulnerabilityDisclosureReport",
    "exploitability-statement": "vulnerabilityExploitabilityAssessment",
    "pentest-report": "securityPenTestReport",
    "static-analysis-report": "staticAnalysisReport",
    "dynamic-analysis-report": "dynamicAnalysisReport",
    "runtime-analysis-report": "runtimeAnalysisReport",
    "component-analysis-report": "componentAnalysisReport",
    "certification-report": "certificationReport",
    "quality-metrics": "qualityAssessmentReport",
    "other": "other",
}
SPDX3_ONLY_REF_TYPES = frozenset(
    (
        "binaryArtifact", "bower", "cwe", "eolNotice", "exportControlAssessment", "funding",
        "mavenCentral", "metrics", "npm", "nuget", "privacyAssessment", "productMetadata",
        "purchaseOrder", "releaseHistory", "secureSoftwareAttestation", "securityFix",
        "securityOther",
    )
)  # fmt: skip
REF_KINDS = {spdx: cdx for cdx, spdx in REF_TYPES.items()}

# Metadata.lifecycle (CycloneDX phase) -> software_SbomType (CISA's SBOM types).
SBOM_TYPES = {
    "design": "design",
    "pre-build": "source",
    "build": "build",
    "post-build": "analyzed",
    "operations": "deployed",
}
LIFECYCLES = {**{t: phase for phase, t in SBOM_TYPES.items()}, "runtime": "operations"}

# Facts the model holds and SPDX 3 has no field for, as CdxPropertiesExtension entries.
SCOPE, DIRECT, FOUND_BY, LOCATION = (
    "sbomkit:scope",
    "sbomkit:direct",
    "sbomkit:found-by",
    "sbomkit:location",
)
ECOSYSTEM, REF, TYPE = "sbomkit:ecosystem", "sbomkit:ref", "sbomkit:type"
SOURCE_URL, HOMEPAGE = "sbomkit:source-url", "sbomkit:homepage"
VERSION, VENDOR, SUPPLIER, LIFECYCLE = (
    "sbomkit:version",
    "sbomkit:vendor",
    "sbomkit:supplier",
    "sbomkit:lifecycle",
)
OWN_PROPERTIES = frozenset(
    (SCOPE, DIRECT, FOUND_BY, LOCATION, ECOSYSTEM, REF, TYPE, SOURCE_URL, HOMEPAGE)
)
CDX_EXTENSION = "extension_CdxPropertiesExtension"


def is_element_key(key: str) -> bool:
    """``spdx3:Annotation`` names an element type, ``spdx3:builtTime`` a field."""
    local = key.removeprefix("spdx3:").rpartition("_")[2]
    return local[:1].isupper()
