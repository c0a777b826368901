"""One OSV record, checked and turned into the rows the store keeps.

Only the fields the store indexes are checked for type; everything else travels in the
compressed original. A record that fails a check is rejected whole with the reason,
because a half-kept advisory would silently match less than it says.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from sbomkit.db import ecosystems

# Rows as the store writes them; see schema.py for the columns.
AffectedRow = tuple[
    str, int, str | None, str | None, str | None, str | None, str | None,
    str | None, str | None, str | None, str | None, str | None, str | None,
]  # fmt: skip


class RecordError(ValueError):
    """Why a record was rejected; ``record_id`` when the record got far enough to have one."""

    def __init__(self, reason: str, record_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.record_id = record_id


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    modified: str  # normalized: compares as text
    withdrawn: str | None
    row: tuple[object, ...]  # published, withdrawn, summary, details, database_specific, record
    aliases: tuple[str, ...]
    severities: tuple[tuple[str, str], ...]
    references: tuple[tuple[str | None, str], ...]
    affected: tuple[AffectedRow, ...]
    unknown_ecosystems: tuple[str, ...]

    def packages(self) -> set[tuple[str, str]]:
        """(base ecosystem, canonical name) of every package the record names."""
        return {(a[3], a[5]) for a in self.affected if a[3] is not None and a[5] is not None}


def decode(data: bytes) -> Record:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise RecordError(f"invalid JSON: {e}") from e
    if not isinstance(doc, dict):
        raise RecordError(f"not an OSV record: top level is a {type(doc).__name__}")
    record_id = doc.get("id")
    if not isinstance(record_id, str) or not record_id.strip():
        raise RecordError("not an OSV record: no 'id' string")
    try:
        return _record(record_id, doc)
    except RecordError as e:
        raise RecordError(e.reason, record_id) from None


def _record(record_id: str, doc: dict[str, Any]) -> Record:
    modified = normalized_time(doc.get("modified"), "modified")
    withdrawn = _opt_str(doc, "withdrawn")
    affected, unknown = _affected(record_id, doc.get("affected"))
    row = (
        _opt_str(doc, "published"),
        withdrawn,
        _opt_str(doc, "summary"),
        _opt_str(doc, "details"),
        _json(_opt_obj(doc, "database_specific")),
        zlib.compress(orjson.dumps(doc), 1),
    )
    return Record(
        id=record_id,
        modified=modified,
        withdrawn=withdrawn,
        row=row,
        aliases=tuple(dict.fromkeys(_str_list(doc, "aliases"))),
        severities=_severities(doc.get("severity"), "severity"),
        references=_references(doc.get("references")),
        affected=affected,
        unknown_ecosystems=unknown,
    )


def normalized_time(value: object, field: str) -> str:
    """RFC 3339 time as ``YYYY-MM-DDThh:mm:ss.ffffffZ`` in UTC, so text order is time order."""
    if not isinstance(value, str):
        raise RecordError(f"'{field}' missing or not a string")
    try:
        when = datetime.fromisoformat(value)
    except ValueError as e:
        raise RecordError(f"'{field}' is not an RFC 3339 time: {value!r}") from e
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _affected(record_id: str, value: object) -> tuple[tuple[AffectedRow, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, list):
        raise RecordError("'affected' must be a list")
    rows: list[AffectedRow] = []
    unknown: list[str] = []
    for i, entry in enumerate(value):
        where = f"affected[{i}]"
        if not isinstance(entry, dict):
            raise RecordError(f"{where} is not an object")
        eco, base, name, canonical, purl = _package(entry.get("package"), where)
        if base is not None and not ecosystems.is_known(base):
            unknown.append(eco or base)
        severities = _severities(entry.get("severity"), f"{where}.severity")
        ranges = _ranges(entry.get("ranges"), where)
        versions = _str_list(entry, "versions", where)
        db_specific = _opt_obj(entry, "database_specific", where)
        eco_specific = _opt_obj(entry, "ecosystem_specific", where)
        rows.append(
            (
                record_id, i, eco, base, name, canonical, purl,
                _json(ranges), _json(versions), _json(severities),
                _json(db_specific), _json(eco_specific),
                _rating(eco_specific, db_specific),
            )
        )  # fmt: skip
    return tuple(rows), tuple(dict.fromkeys(unknown))


def _package(
    value: object, where: str
) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    if value is None:  # GIT-only entries name a repository, not a package
        return None, None, None, None, None
    if not isinstance(value, dict):
        raise RecordError(f"{where}.package is not an object")
    eco, name = value.get("ecosystem"), value.get("name")
    if not isinstance(eco, str) or not eco.strip():
        raise RecordError(f"{where}.package.ecosystem missing or not a string")
    if not isinstance(name, str) or not name.strip():
        raise RecordError(f"{where}.package.name missing or not a string")
    base, full = ecosystems.split(eco)
    return full, base, name, ecosystems.canonical_name(base, name), _opt_str(value, "purl", where)


def _ranges(value: object, where: str) -> list[object] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise RecordError(f"{where}.ranges must be a list, not {_kind(value)}")
    for j, r in enumerate(value):
        at = f"{where}.ranges[{j}]"
        if not isinstance(r, dict) or not isinstance(r.get("type"), str):
            raise RecordError(f"{at} must be an object with a 'type' string")
        events = r.get("events")
        if not isinstance(events, list):
            raise RecordError(f"{at}.events must be a list")
        for k, ev in enumerate(events):
            if not isinstance(ev, dict) or not all(isinstance(v, str) for v in ev.values()):
                raise RecordError(f"{at}.events[{k}] must be an object of strings")
    return value


def _severities(value: object, where: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RecordError(f"'{where}' must be a list")
    out = []
    for s in value:
        if not isinstance(s, dict):
            raise RecordError(f"'{where}' entries must be objects")
        kind, score = s.get("type"), s.get("score")
        if not isinstance(kind, str) or not isinstance(score, str):
            raise RecordError(f"'{where}' entries need 'type' and 'score' strings")
        out.append((kind, score))
    return tuple(out)


def _references(value: object) -> tuple[tuple[str | None, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RecordError("'references' must be a list")
    out = []
    for ref in value:
        url = ref.get("url") if isinstance(ref, dict) else None
        if not isinstance(url, str):
            raise RecordError("'references' entries need a 'url' string")
        kind = ref.get("type")
        out.append((kind if isinstance(kind, str) else None, url))
    return tuple(out)


def _rating(*specifics: dict[str, Any] | None) -> str | None:
    """The ecosystem's own severity word: ecosystem_specific first, as OSV tools read it."""
    for specific in specifics:
        value = specific.get("severity") if specific else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _opt_str(doc: dict[str, Any], key: str, where: str = "") -> str | None:
    value = doc.get(key)
    if value is None or isinstance(value, str):
        return value
    raise RecordError(f"'{where}.{key}' must be a string" if where else f"'{key}' must be a string")


def _opt_obj(doc: dict[str, Any], key: str, where: str = "") -> dict[str, Any] | None:
    value = doc.get(key)
    if value is None or isinstance(value, dict):
        return value
    name = f"{where}.{key}" if where else key
    raise RecordError(f"'{name}' must be an object, not {_kind(value)}")


def _str_list(doc: dict[str, Any], key: str, where: str = "") -> list[str]:
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        name = f"{where}.{key}" if where else key
        raise RecordError(f"'{name}' must be a list of strings")
    return value


def _json(value: object) -> str | None:
    return orjson.dumps(value).decode() if value else None


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else "a number")
