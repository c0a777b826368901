"""The OpenAPI document as a contract, property-tested on SQLite and PostgreSQL.

schemathesis generates requests for every operation from the app's own OpenAPI document
and sends them with an administrator's key and with a team member's key. Every answer
must be a non-5xx status the document declares for that operation, with the declared
content type and a body that validates against the declared schema. Examples are bounded
and derandomized, so a run is reproducible and CI sees the same requests every time.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema
from serverkit import auth, backend, cdx, new_user

from sbomkit.server.app import create_app
from sbomkit.server.config import Settings
from sbomkit.server.paging import encode

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 10
LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
PYYAML = "pkg:pypi/pyyaml@5.3.1"


def _operations() -> list[str]:
    """``METHOD /path`` of every operation, read at collection time from the app itself."""
    app = create_app(Settings(database="sqlite://", advisories=Path("/nonexistent")))
    doc = app.openapi()
    app.state.db.dispose()
    return sorted(
        f"{method.upper()} {path}" for path, item in doc["paths"].items() for method in item
    )


OPERATIONS = _operations()


@dataclass
class World:
    backend: str
    app: FastAPI
    schema: OpenApiSchema
    keys: dict[str, str]
    ids: dict[str, str]  # path parameter -> a value naming a seeded row


def _created(r: Any) -> Any:
    assert r.status_code in (201, 202), r.text
    return r.json()


def _seed(client: TestClient, keys: dict[str, str]) -> dict[str, str]:
    """A row of every kind, so each GET has something real to describe (projects 1 and
    2, with documents and findings, are also what generated small ids find)."""
    user, admin = auth(keys["user"]), auth(keys["admin"])
    for version in ("1.0", "2.0"):
        up = _created(
            client.post(
                "/api/v1/sbom",
                params={"name": "shop", "version": version, "autoCreate": "true"},
                content=cdx(LOG4J, PYYAML),
                headers=user,
            )
        )
    triage = {
        "scope": "version",
        "project": up["project"],
        "vulnerability": "CVE-2021-44228",
        "component": LOG4J,
        "state": "under_investigation",
    }
    channel = {"team": "payments", "name": "alerts", "kind": "email", "target": "a@example.com"}
    return {
        "project_id": str(up["project"]),
        "document_id": str(up["document"]),
        "token": up["token"],
        "vuln_id": "CVE-2021-44228",
        "triage_id": str(_created(client.post("/api/v1/triage", json=triage, headers=user))["id"]),
        "channel_id": str(
            _created(client.post("/api/v1/channels", json=channel, headers=user))["id"]
        ),
        "job_id": str(_created(client.post("/api/v1/advisories/sync", headers=admin))["job"]),
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, advisories: Path
) -> Iterator[World]:
    """One database per backend for the whole module: generated requests build on each
    other's state (in a fixed order), which reaches more code than an empty database."""
    stack = contextlib.ExitStack()
    name = f"sbomkit_{request.module.__name__.rsplit('.', 1)[-1]}_{os.getpid()}"
    db = stack.enter_context(backend(request.param, name, tmp_path_factory.mktemp("c")))
    app = create_app(
        Settings(
            database=db.url,
            advisories=advisories,
            max_upload_bytes=200_000,
            max_components=50,
            worker=False,
        ),
        db,
    )
    keys = {
        "admin": new_user(db, "root", admin=True),
        "user": new_user(db, "alice", teams=("payments",)),
    }
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    with TestClient(app) as client:
        ids = _seed(client, keys)
    yield World(request.param, app, schema, keys, ids)
    stack.close()


READS = [label for label in OPERATIONS if label.startswith("GET ")]


@pytest.mark.parametrize("who", ["admin", "user"])
@pytest.mark.parametrize("label", READS)
def test_read_of_seeded_rows_keeps_its_contract(
    world: World, label: str, who: str, request: pytest.FixtureRequest
) -> None:
    """Runs first (file order), on the untouched seed: real rows through every reader."""
    _, path = label.split(" ", 1)
    operation = world.schema[path]["GET"]
    names = [p.name for p in operation.path_parameters]
    case = operation.Case(path_parameters={n: world.ids[n] for n in names})
    case.call_and_validate(headers=auth(world.keys[who]), checks=CHECKS)


@pytest.mark.parametrize("who", ["admin", "user"])
@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_keeps_its_contract(world: World, label: str, who: str) -> None:
    method, path = label.split(" ", 1)
    operation = world.schema[path][method]
    headers = auth(world.keys[who])
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | (
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


# --- values generation rarely reaches, sent on purpose ------------------------------------

HUGE = 2**64  # past every 64-bit id column
MAX = "9223372036854775807"
PLAIN = "String should match pattern '^[^\\x00-\\x1f\\x7f]*$'"
CURSOR = ["cursor: not a cursor from this API"]


@dataclass(frozen=True)
class Hostile:
    name: str
    method: str
    url: str  # "{project}": a project with a document, made for the case
    status: int
    details: list[str]
    kwargs: dict[str, Any] = field(default_factory=dict)


HOSTILE = [
    Hostile(
        "huge project id",
        "GET",
        f"/api/v1/projects/{HUGE}",
        422,
        [f"path/project_id: Input should be less than or equal to {MAX}"],
    ),
    Hostile(
        "huge document id",
        "GET",
        f"/api/v1/projects/{{project}}/documents/{HUGE}",
        422,
        [f"path/document_id: Input should be less than or equal to {MAX}"],
    ),
    Hostile(
        "huge project id in a filter",
        "GET",
        "/api/v1/components",
        404,
        [],
        {"params": {"project": HUGE}},
    ),
    Hostile(
        "huge parent for a new project",
        "POST",
        "/api/v1/sbom",
        404,
        [],
        {"params": {"name": "x", "autoCreate": "true", "parent": HUGE}, "content": cdx(PYYAML)},
    ),
    *(
        Hostile(
            f"cursor {key!r} on {path}",
            "GET",
            path,
            422,
            CURSOR,
            {"params": {"cursor": encode(key)}},
        )
        for path, key in (
            ("/api/v1/components", [HUGE]),
            ("/api/v1/components", ["x"]),
            ("/api/v1/projects", ["a", "b", HUGE]),
            ("/api/v1/projects", [1, 2, 3]),
            ("/api/v1/findings", ["a", None]),
        )
    ),
    Hostile(
        "NUL in a query",
        "GET",
        "/api/v1/components",
        422,
        ["URL: NUL character"],
        {"params": {"name": "a\x00"}},
    ),
    Hostile(
        "NUL in a path", "GET", "/api/v1/vulnerabilities/a%00/projects", 422, ["URL: NUL character"]
    ),
    Hostile(
        "NUL in a project name",
        "POST",
        "/api/v1/projects",
        422,
        [f"body/name: {PLAIN}"],
        {"json": {"name": "a\x00"}},
    ),
    Hostile(
        "NUL in a login name",
        "POST",
        "/api/v1/auth/login",
        422,
        [f"body/username: {PLAIN}"],
        {"json": {"username": "a\x00", "password": "x"}},
    ),
    Hostile(
        "NUL in a team name",
        "POST",
        "/api/v1/teams",
        422,
        ["body/name: String should match pattern '^[^\\s/\\x00-\\x1f\\x7f][^/\\x00-\\x1f\\x7f]*$'"],
        {"json": {"name": "a\x00b"}},
    ),
    Hostile(
        "tag longer than its column",
        "PUT",
        "/api/v1/projects/{project}/tags",
        422,
        ["body/tags/0: String should have at most 100 characters"],
        {"json": {"tags": ["x" * 101]}},
    ),
    Hostile(
        "body that is not UTF-8",
        "POST",
        "/api/v1/projects",
        400,
        ["There was an error parsing the body"],
        {"content": b"\xff", "headers": {"Content-Type": "application/json"}},
    ),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_value_is_a_client_error(
    world: World, case: Hostile, request: pytest.FixtureRequest
) -> None:
    headers = auth(world.keys["admin"])
    with TestClient(world.app, raise_server_exceptions=False) as client:
        project = client.post(
            "/api/v1/sbom",
            params={"name": f"hostile-{case.name}", "autoCreate": "true"},
            content=cdx(PYYAML),
            headers=headers,
        ).json()["project"]
        kwargs = dict(case.kwargs)
        kwargs["headers"] = headers | kwargs.get("headers", {})
        r = client.request(case.method, case.url.format(project=project), **kwargs)
    assert r.status_code == case.status, r.text
    assert r.json()["error"]["details"] == case.details
