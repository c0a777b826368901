"""User-facing text in English and Japanese.

Code passes a :class:`Msg` and parameters; only :func:`render` turns them into words, so a
message is written once per language and never assembled ad hoc.
"""

from __future__ import annotations

import os
from enum import StrEnum

from sbomkit.i18n.catalog import TEXT

LANGS = ("en", "ja")


class Msg(StrEnum):
    # Errors: the file cannot be used at all.
    FILE_UNREADABLE = "file-unreadable"
    FILE_TOO_LARGE = "file-too-large"
    WRONG_FORMAT = "wrong-format"
    UNSUPPORTED_VERSION = "unsupported-version"
    PATH_NOT_FOUND = "path-not-found"
    NOTHING_FOUND = "nothing-found"
    BAD_OPTION = "bad-option"
    INTERNAL = "internal"
    INVALID_VERSION = "invalid-version"
    # Warnings: one entry is skipped or incomplete, the rest of the file is used.
    MISSING_NAME = "missing-name"
    MISSING_VERSION = "missing-version"
    INVALID_ENTRY = "invalid-entry"
    DUPLICATE_ENTRY = "duplicate-entry"
    UNPINNED = "unpinned"
    UNRESOLVED_INCLUDE = "unresolved-include"
    NON_REGISTRY_SOURCE = "non-registry-source"
    UNKNOWN_DEPENDENCY = "unknown-dependency"
    SYMLINK_OUTSIDE_ROOT = "symlink-outside-root"
    # Report words.
    SUMMARY_TITLE = "summary-title"
    COL_ECOSYSTEM = "col-ecosystem"
    COL_COMPONENTS = "col-components"
    COL_DIRECT = "col-direct"
    COL_DEV = "col-dev"
    COL_FILES = "col-files"
    TOTAL = "total"
    WROTE = "wrote"
    WARNINGS_HEADER = "warnings-header"
    SCANNING = "scanning"
    # Quality profiles (sbomkit check): rule titles, reasons a rule fails, report words.
    Q_SUPPLIER = "q-supplier"
    Q_NAME = "q-name"
    Q_VERSION = "q-version"
    Q_IDENTIFIER = "q-identifier"
    Q_DEPENDENCY = "q-dependency"
    Q_AUTHOR = "q-author"
    Q_TIMESTAMP = "q-timestamp"
    Q_SBOM_TYPE = "q-sbom-type"
    Q_PRIMARY = "q-primary"
    Q_HASH = "q-hash"
    Q_PRIMARY_REL = "q-primary-rel"
    Q_INCLUDED_IN = "q-included-in"
    Q_LICENSE = "q-license"
    Q_COPYRIGHT = "q-copyright"
    Q_FORMAT = "q-format"
    Q_FORMAT_CURRENT = "q-format-current"
    Q_CREATOR_CONTACT = "q-creator-contact"
    Q_COMPONENT_CREATOR = "q-component-creator"
    Q_FILENAME = "q-filename"
    Q_IN_GRAPH = "q-in-graph"
    Q_COMPLETENESS = "q-completeness"
    Q_DIST_LICENSE = "q-dist-license"
    Q_ORIG_LICENSE = "q-orig-license"
    Q_SHA512 = "q-sha512"
    Q_EXECUTABLE = "q-executable"
    Q_ARCHIVE = "q-archive"
    Q_STRUCTURED = "q-structured"
    Q_SBOM_URI = "q-sbom-uri"
    Q_SOURCE_URI = "q-source-uri"
    Q_DEPLOYABLE_URI = "q-deployable-uri"
    Q_NO_VULNS = "q-no-vulns"
    Q_WHY_MISSING = "q-why-missing"
    Q_WHY_NO_CONTACT = "q-why-no-contact"
    Q_WHY_NOT_SPDX = "q-why-not-spdx"
    Q_WHY_NO_SHA512 = "q-why-no-sha512"
    Q_WHY_OLD_FORMAT = "q-why-old-format"
    Q_WHY_BAD_TIMESTAMP = "q-why-bad-timestamp"
    Q_WHY_NOT_IN_GRAPH = "q-why-not-in-graph"
    Q_WHY_NOT_INCLUDED = "q-why-not-included"
    Q_WHY_NO_ROOT = "q-why-no-root"
    Q_WHY_NO_PRIMARY_EDGES = "q-why-no-primary-edges"
    Q_WHY_VULNS = "q-why-vulns"
    Q_WHY_NO_COMPONENTS = "q-why-no-components"
    Q_REPORT_TITLE = "q-report-title"
    Q_PROFILE_LINE = "q-profile-line"
    Q_COL_RULE = "q-col-rule"
    Q_COL_CLAUSE = "q-col-clause"
    Q_COL_LEVEL = "q-col-level"
    Q_COL_PASSED = "q-col-passed"
    Q_COL_FAILED = "q-col-failed"
    Q_COL_FAILURES = "q-col-failures"
    Q_LEVEL_REQUIRED = "q-level-required"
    Q_LEVEL_RECOMMENDED = "q-level-recommended"
    Q_DOCUMENT = "q-document"
    Q_AND_MORE = "q-and-more"
    Q_VERDICT_OK = "q-verdict-ok"
    Q_VERDICT_FAIL = "q-verdict-fail"
    # Schema validation (sbomkit validate, sbomkit schemas).
    SCHEMA_VALID = "schema-valid"
    SCHEMA_INVALID = "schema-invalid"
    NO_SCHEMA = "no-schema"
    NO_SPEC_VERSION = "no-spec-version"
    SCHEMA_MISSING = "schema-missing"
    MORE_PROBLEMS = "more-problems"
    VALIDATE_SUMMARY = "validate-summary"
    SCHEMA_INSTALLED = "schema-installed"
    SCHEMA_NOT_INSTALLED = "schema-not-installed"
    SCHEMA_NONE_FOUND = "schema-none-found"
    DOWNLOAD_FAILED = "download-failed"
    # convert / merge / diff (sbomkit.transform).
    LOSS_TITLE = "loss-title"
    LOSS_NONE = "loss-none"
    COL_WHAT = "col-what"
    COL_HOW = "col-how"
    COL_COUNT = "col-count"
    COL_EXAMPLES = "col-examples"
    FATE_DROPPED = "fate-dropped"
    FATE_COMMENT = "fate-comment"
    FATE_PROPERTY = "fate-property"
    FATE_DECLARED = "fate-declared"
    FATE_DEPENDS_ON = "fate-depends-on"
    MERGE_CONFLICT = "merge-conflict"
    MERGED = "merged"
    DIFF_TITLE = "diff-title"
    DIFF_NONE = "diff-none"
    DIFF_SUMMARY = "diff-summary"
    COL_CHANGE = "col-change"
    COL_COMPONENT = "col-component"
    COL_OLD = "col-old"
    COL_NEW = "col-new"
    CHANGE_ADDED = "change-added"
    CHANGE_REMOVED = "change-removed"
    CHANGE_UPGRADED = "change-upgraded"
    CHANGE_DOWNGRADED = "change-downgraded"
    CHANGE_VERSION = "change-version"
    CHANGE_LICENSES = "change-licenses"
    CHANGE_SUPPLIER = "change-supplier"
    CHANGE_HASHES = "change-hashes"
    # Advisory database (sbomkit db).
    DB_BAD_RECORD = "db-bad-record"
    DB_UNKNOWN_ECOSYSTEM = "db-unknown-ecosystem"
    DB_BAD_ARCHIVE = "db-bad-archive"
    DB_MISSING = "db-missing"
    DB_UNUSABLE = "db-unusable"
    DB_NEWER_SCHEMA = "db-newer-schema"
    DB_IMPORTED = "db-imported"
    DB_IMPORT_DONE = "db-import-done"
    DB_NOT_MODIFIED = "db-not-modified"
    DB_STALE = "db-stale"
    DB_EMPTY = "db-empty"
    DB_STATUS_LINE = "db-status-line"
    DB_SOURCES_TITLE = "db-sources-title"
    DB_ECOSYSTEMS_TITLE = "db-ecosystems-title"
    DB_NEVER = "db-never"
    COL_SOURCE = "col-source"
    COL_RECORDS = "col-records"
    COL_SKIPPED = "col-skipped"
    COL_LAST_IMPORT = "col-last-import"
    COL_ADVISORIES = "col-advisories"
    KEV_IMPORTED = "kev-imported"


def current_lang(explicit: str | None = None) -> str:
    """``--lang`` wins; then SBOMKIT_LANG, LC_ALL, LC_MESSAGES, LANG; default English."""
    if explicit:
        return explicit
    for var in ("SBOMKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def render(code: Msg, lang: str, where: str | None = None, detail: str = "", **kw: object) -> str:
    """``"<where>: <message> (<detail>)"`` in the chosen language; ``kw`` fills placeholders."""
    text = TEXT[code.value][1 if lang == "ja" else 0].format(**kw)
    if detail:
        text = f"{text} ({detail})"
    return f"{where}: {text}" if where else text
