"""Access control, on SQLite and PostgreSQL.

Team A's user must not read, search, export, change or upload into anything of team B's,
through any endpoint. The endpoints come from the app's own OpenAPI document: each one is
either probed with team B's ids (``CROSS_TEAM``) or is a global endpoint whose answer to A
is checked to hold only A's rows (``GLOBAL``). An endpoint in neither table fails the
test, so a new endpoint cannot slip past it.

Then: grants inherited down the project tree, what each permission allows, team keys,
revoked and expired keys, failed-login throttling, and ``sbomkit admin create-user``.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from serverkit import auth, backend, cdx, new_user
from sqlalchemy import func, select

from sbomkit.cli.serve_cmd import admin as admin_cli
from sbomkit.server import accounts
from sbomkit.server.app import create_app
from sbomkit.server.config import Settings
from sbomkit.server.database import Database
from sbomkit.server.monitor import metrics
from sbomkit.server.tables import (
    ApiKey,
    Document,
    LoginFailure,
    Membership,
    Project,
    Team,
    User,
    aware,
)

LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
B_LIB = "pkg:pypi/b-internal-lib@1.0"
PYYAML = "pkg:pypi/pyyaml@5.3.1"
REQUESTS = "pkg:pypi/requests@2.32.3"
PASSWORD = "correct horse battery"  # serverkit.new_user's


# --- the two teams -------------------------------------------------------------------


@dataclass
class World:
    """Team A (alice) and team B (bob), each with projects, documents, findings, keys."""

    client: TestClient
    db: Database
    a_key: str
    b_key: str
    ids: dict[str, Any] = field(default_factory=dict)
    # Strings only team B's data holds; none may reach alice unless she sent it herself.
    markers: list[str] = field(default_factory=list)

    def as_a(self, method: str, url: str, **kw: Any) -> Any:
        return self.client.request(method, url, headers=auth(self.a_key), **kw)

    def as_b(self, method: str, url: str, **kw: Any) -> Any:
        return self.client.request(method, url, headers=auth(self.b_key), **kw)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, advisories: Path
) -> Iterator[World]:
    """Built once per backend: every probe is a refused request, so none changes it."""
    stack = contextlib.ExitStack()
    name = f"sbomkit_{request.module.__name__.rsplit('.', 1)[-1]}_{os.getpid()}"
    db = stack.enter_context(backend(request.param, name, tmp_path_factory.mktemp("a")))
    settings = Settings(database=db.url, advisories=advisories, worker=False)
    with TestClient(create_app(settings, db)) as client:
        w = World(
            client,
            db,
            new_user(db, "alice", teams=("team-a",)),
            new_user(db, "bob", teams=("team-b",)),
        )
        _populate(w)
        yield w
    stack.close()


def _ok(r: Any, status: int = 201) -> Any:
    assert r.status_code == status, r.text
    return r.json() if r.content else None


def _populate(w: World) -> None:
    ids = w.ids
    up = _ok(
        w.as_b(
            "POST",
            "/api/v1/sbom",
            params={"name": "b-secret-app", "version": "9.9", "autoCreate": "true"},
            content=cdx(LOG4J, B_LIB),
        )
    )
    assert up["findings"] == 1
    ids.update(b_project=up["project"], b_document=up["document"], b_token=up["token"])
    child = _ok(
        w.as_b(
            "POST", "/api/v1/projects", json={"name": "b-secret-module", "parent": up["project"]}
        )
    )
    ids["b_child"] = child["id"]
    up = _ok(
        w.as_a(
            "POST",
            "/api/v1/sbom",
            params={"name": "a-app", "version": "1.0", "autoCreate": "true"},
            content=cdx(PYYAML),
        )
    )
    ids.update(a_project=up["project"], a_document=up["document"])
    team_key = _ok(w.as_b("POST", "/api/v1/keys", json={"team": "team-b", "name": "b-ci"}))
    ids["b_team_key"] = team_key["key_id"]
    ids["b_user_key"] = w.b_key.split("_")[1]
    ids["b_triage"] = _ok(
        w.as_b(
            "POST",
            "/api/v1/triage",
            json={
                "scope": "version",
                "project": ids["b_project"],
                "vulnerability": "CVE-2021-44228",
                "component": LOG4J,
                "state": "under_investigation",
                "comment": "b-secret triage note",
            },
        )
    )["id"]
    ids["b_channel"] = _ok(
        w.as_b(
            "POST",
            "/api/v1/channels",
            json={
                "team": "team-b",
                "name": "b-secret-alerts",
                "kind": "webhook",
                "target": "https://b-secret.example/hook",
            },
        )
    )["id"]
    ids["a_channel"] = _ok(
        w.as_a(
            "POST",
            "/api/v1/channels",
            json={"team": "team-a", "name": "a-alerts", "kind": "email", "target": "a@a.example"},
        )
    )["id"]
    with w.db.session() as s:
        metrics.snapshot(s, dt.datetime.now(dt.UTC).date())
        sha = s.get(Document, ids["b_document"])
        assert sha is not None
        b_sha = sha.sha256
    w.markers = [
        "b-secret",
        "b-internal-lib",
        "log4j",
        "CVE-2021-44228",
        "bob",
        "team-b",
        ids["b_team_key"],
        ids["b_user_key"],
        b_sha,
    ]


# --- every endpoint, probed with team B's ids --------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One request alice makes at team B's things, and the refusal she must get."""

    variant: str
    status: int
    code: str
    path: dict[str, str] = field(default_factory=dict)  # path parameter -> World.ids key
    params: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    content: bytes | None = None


NOT_FOUND = (404, "srv-not-found")
FORBIDDEN = (403, "srv-forbidden")
# Path parameters are filled from these World.ids keys unless a probe says otherwise.
B_IDS = {
    "project_id": "b_project",
    "document_id": "b_document",
    "key_id": "b_team_key",
    "triage_id": "b_triage",
    "channel_id": "b_channel",
    "token": "b_token",
}
B_LITERALS = {"team": "team-b", "permission": "view", "job_id": "1"}
UPLOAD = cdx(REQUESTS, root="pkg:generic/a-sneaky@1.0")
VEX = json.dumps(
    {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://a.example/vex/1",
        "author": "alice",
        "timestamp": "2024-01-01T00:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": "CVE-2021-44228"},
                "products": [{"@id": LOG4J}],
                "status": "not_affected",
                "justification": "component_not_present",
            }
        ],
    }
).encode()


def _refused(variant: str, refusal: tuple[int, str], **kw: Any) -> Probe:
    return Probe(variant, *refusal, **kw)


def _ref(key: str) -> str:
    """A JSON/query value taken from World.ids when the probe runs."""
    return "@" + key


CROSS_TEAM: dict[str, list[Probe]] = {
    "GET /api/v1/users": [_refused("list users", FORBIDDEN)],
    "POST /api/v1/users": [
        _refused("user in team B", FORBIDDEN, json={"name": "mallory", "teams": ["team-b"]})
    ],
    "POST /api/v1/teams": [_refused("a team", FORBIDDEN, json={"name": "team-b2"})],
    "POST /api/v1/teams/{team}/members": [
        _refused("alice joins team B", FORBIDDEN, json={"user": "alice"})
    ],
    "POST /api/v1/keys": [_refused("key of team B", NOT_FOUND, json={"team": "team-b"})],
    "DELETE /api/v1/keys/{key_id}": [
        _refused("team B's key", NOT_FOUND),
        _refused("bob's key", NOT_FOUND, path={"key_id": "b_user_key"}),
    ],
    "POST /api/v1/projects": [
        _refused("under B's project", NOT_FOUND, json={"name": "a-sneaky", "parent": "@b_project"}),
        _refused("owned by team B", NOT_FOUND, json={"name": "a-sneaky", "team": "team-b"}),
    ],
    "GET /api/v1/projects/{project_id}": [
        _refused("B's project", NOT_FOUND),
        _refused("B's child project", NOT_FOUND, path={"project_id": "b_child"}),
    ],
    "DELETE /api/v1/projects/{project_id}": [_refused("B's project", NOT_FOUND)],
    "GET /api/v1/projects/{project_id}/children": [_refused("B's project", NOT_FOUND)],
    "PUT /api/v1/projects/{project_id}/tags": [
        _refused("B's project", NOT_FOUND, json={"tags": ["a-was-here"]})
    ],
    "POST /api/v1/projects/{project_id}/grants": [
        _refused("A grants itself admin", NOT_FOUND, json={"team": "team-a", "permission": "admin"})
    ],
    "DELETE /api/v1/projects/{project_id}/grants/{team}/{permission}": [
        _refused("B's grant", NOT_FOUND)
    ],
    "POST /api/v1/projects/{project_id}/sbom": [
        _refused("into B's project", NOT_FOUND, content=UPLOAD)
    ],
    "GET /api/v1/projects/{project_id}/sbom": [
        _refused("original", NOT_FOUND),
        _refused("as SPDX", NOT_FOUND, params={"format": "spdx-json"}),
    ],
    "POST /api/v1/sbom": [
        _refused(
            "B's project by name",
            NOT_FOUND,
            params={"name": "b-secret-app", "version": "9.9"},
            content=UPLOAD,
        ),
        _refused(
            "new version under B's project",
            NOT_FOUND,
            params={"name": "a-sneaky", "autoCreate": "true", "parent": "@b_project"},
            content=UPLOAD,
        ),
        _refused(
            "new project for team B",
            NOT_FOUND,
            params={"name": "a-sneaky", "autoCreate": "true", "team": "team-b"},
            content=UPLOAD,
        ),
    ],
    "PUT /api/v1/bom": [
        _refused("B's project by id", NOT_FOUND, json={"project": "@b_project", "bom": UPLOAD}),
        _refused(
            "B's project by name",
            NOT_FOUND,
            json={"projectName": "b-secret-app", "projectVersion": "9.9", "bom": UPLOAD},
        ),
        _refused(
            "new version under B's project",
            NOT_FOUND,
            json={
                "projectName": "a-sneaky",
                "autoCreate": True,
                "parentName": "b-secret-app",
                "parentVersion": "9.9",
                "bom": UPLOAD,
            },
        ),
    ],
    "GET /api/v1/projects/{project_id}/documents": [_refused("B's project", NOT_FOUND)],
    "GET /api/v1/projects/{project_id}/documents/{document_id}": [
        _refused("B's project and document", NOT_FOUND),
        _refused("B's document under A's project", NOT_FOUND, path={"project_id": "a_project"}),
    ],
    "GET /api/v1/projects/{project_id}/vdr": [_refused("B's project", NOT_FOUND)],
    "GET /api/v1/projects/{project_id}/vex": [
        _refused("CycloneDX", NOT_FOUND),
        _refused("OpenVEX", NOT_FOUND, params={"format": "openvex"}),
    ],
    "POST /api/v1/projects/{project_id}/vex": [
        _refused("B's findings not affected", NOT_FOUND, content=VEX)
    ],
    "GET /api/v1/components": [
        _refused("in B's project", NOT_FOUND, params={"project": "@b_project"})
    ],
    "GET /api/v1/projects/{project_id}/findings": [_refused("B's project", NOT_FOUND)],
    "GET /api/v1/jobs": [_refused("list jobs", FORBIDDEN)],
    "GET /api/v1/jobs/{job_id}": [_refused("a job", FORBIDDEN)],
    "POST /api/v1/advisories/sync": [_refused("sync", FORBIDDEN)],
    "POST /api/v1/triage": [
        _refused(
            "decision on B's version",
            NOT_FOUND,
            json={
                "scope": "version",
                "project": "@b_project",
                "vulnerability": "CVE-2021-44228",
                "component": LOG4J,
                "state": "false_positive",
            },
        ),
        _refused(
            "rule for team B",
            NOT_FOUND,
            json={
                "scope": "rule",
                "team": "team-b",
                "vulnerability": "CVE-2021-44228",
                "component": "pkg:maven/*",
                "state": "false_positive",
            },
        ),
    ],
    "GET /api/v1/triage": [_refused("of B's project", NOT_FOUND, params={"project": "@b_project"})],
    "GET /api/v1/triage/{triage_id}/history": [_refused("B's decision", NOT_FOUND)],
    "DELETE /api/v1/triage/{triage_id}": [_refused("B's decision", NOT_FOUND)],
    "POST /api/v1/channels": [
        _refused(
            "for team B",
            NOT_FOUND,
            json={"team": "team-b", "name": "a-tap", "kind": "email", "target": "a@a.example"},
        )
    ],
    "DELETE /api/v1/channels/{channel_id}": [_refused("B's channel", NOT_FOUND)],
    "POST /api/v1/channels/{channel_id}/subscriptions": [
        _refused("B's channel", NOT_FOUND, json={}),
        _refused(
            "A's channel on B's project",
            NOT_FOUND,
            path={"channel_id": "a_channel"},
            json={"project": "@b_project"},
        ),
    ],
    "GET /api/v1/channels/{channel_id}/notifications": [_refused("B's channel", NOT_FOUND)],
    "GET /api/v1/projects/{project_id}/metrics": [_refused("B's project", NOT_FOUND)],
}


def _resolve(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return str(ids[value[1:]])
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _request(w: World, operation: str, probe: Probe) -> Any:
    method, template = operation.split(" ", 1)
    values = {
        name: str(w.ids[probe.path.get(name, key)]) for name, key in B_IDS.items()
    } | B_LITERALS
    url = template.format(**values)
    params = {k: _resolve(v, w.ids) for k, v in probe.params.items()}
    body = (
        {k: _resolve(v, w.ids) for k, v in probe.json.items()} if probe.json is not None else None
    )
    return w.as_a(method, url, params=params, json=body, content=probe.content)


# Deletions last: one that wrongly succeeded would hide what the later probes look for.
PROBES = sorted(
    ((op, p) for op, probes in CROSS_TEAM.items() for p in probes),
    key=lambda item: item[0].startswith("DELETE "),
)


@pytest.mark.parametrize(
    ("operation", "probe"), PROBES, ids=[f"{o} {p.variant}" for o, p in PROBES]
)
def test_team_a_is_refused_team_b(world: World, operation: str, probe: Probe) -> None:
    r = _request(world, operation, probe)
    assert (r.status_code, r.json()["error"]["code"]) == (probe.status, probe.code), r.text
    sent = str(r.request.url) + r.request.content.decode(errors="replace")
    leaked = [m for m in world.markers if m in r.text and m not in sent]
    assert leaked == [], r.text


# --- global endpoints: what alice gets must be hers only ---------------------------------


def _keys_of(w: World) -> list[str]:
    with w.db.session() as s:
        uid = s.execute(select(User.id).where(User.name == "alice")).scalar_one()
        return sorted(s.execute(select(ApiKey.key_id).where(ApiKey.user_id == uid)).scalars())


def _health(w: World) -> None:
    r = w.client.get("/api/v1/health")
    assert (r.status_code, r.json()["status"]) == (200, "ok")


def _login(w: World) -> None:
    key = _ok(
        w.client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD}), 200
    )["key"]
    projects = _ok(w.client.get("/api/v1/projects", headers=auth(key)), 200)
    assert [p["name"] for p in projects["items"]] == ["a-app"]


def _teams(w: World) -> None:
    assert [t["name"] for t in _ok(w.as_a("GET", "/api/v1/teams"), 200)] == ["team-a"]


def _keys(w: World) -> None:
    listed = sorted(k["key_id"] for k in _ok(w.as_a("GET", "/api/v1/keys"), 200))
    assert listed == _keys_of(w)


def _projects(w: World) -> None:
    def names(**params: Any) -> list[str]:
        page = _ok(w.as_a("GET", "/api/v1/projects", params=params), 200)
        return [p["name"] for p in page["items"]]

    assert names() == ["a-app"]
    assert names(q="secret") == []
    assert names(parent=w.ids["b_project"]) == []


def _token(w: World) -> None:
    r = w.as_a("GET", f"/api/v1/event/token/{w.ids['b_token']}")
    assert _ok(r, 200) == {"processing": False}


def _components(w: World) -> None:
    page = _ok(w.as_a("GET", "/api/v1/components"), 200)
    assert [(c["project"]["name"], c["purl"]) for c in page["items"]] == [("a-app", PYYAML)]
    page = _ok(w.as_a("GET", "/api/v1/components", params={"purl": LOG4J}), 200)
    assert page["items"] == []


def _findings(w: World) -> None:
    page = _ok(w.as_a("GET", "/api/v1/findings"), 200)
    assert [(f["project"]["name"], f["vulnerability"]) for f in page["items"]] == [
        ("a-app", "CVE-2020-14343")
    ]


def _affected(w: World) -> None:
    assert _ok(w.as_a("GET", "/api/v1/vulnerabilities/CVE-2021-44228/projects"), 200) == []
    mine = _ok(w.as_a("GET", "/api/v1/vulnerabilities/CVE-2020-14343/projects"), 200)
    assert [p["name"] for p in mine] == ["a-app"]


def _triage(w: World) -> None:
    assert _ok(w.as_a("GET", "/api/v1/triage"), 200) == []


def _channels(w: World) -> None:
    assert [c["name"] for c in _ok(w.as_a("GET", "/api/v1/channels"), 200)] == ["a-alerts"]


def _portfolio_metrics(w: World) -> None:
    days = _ok(w.as_a("GET", "/api/v1/metrics/portfolio"), 200)
    assert [(d["projects"], d["components"]) for d in days] == [(1, 1)]


# Endpoints that answer about the caller's whole portfolio (or need no key): what is
# asserted instead of a refusal.
GLOBAL: dict[str, Callable[[World], None]] = {
    "GET /api/v1/health": _health,  # no key, no data
    "POST /api/v1/auth/login": _login,  # her session key sees only her projects
    "GET /api/v1/teams": _teams,  # only her teams
    "GET /api/v1/keys": _keys,  # only her keys
    "GET /api/v1/projects": _projects,  # only her projects, whatever the filter
    "GET /api/v1/event/token/{token}": _token,  # answers the same for every token
    "GET /api/v1/components": _components,  # only her components
    "GET /api/v1/findings": _findings,  # only her findings
    "GET /api/v1/vulnerabilities/{vuln_id}/projects": _affected,  # only her projects
    "GET /api/v1/triage": _triage,  # not B's decisions
    "GET /api/v1/channels": _channels,  # only her team's channels
    "GET /api/v1/metrics/portfolio": _portfolio_metrics,  # sums over her projects only
}


def test_every_endpoint_is_probed_or_listed_as_global(world: World) -> None:
    doc = world.client.app.openapi()  # type: ignore[attr-defined]
    operations = {f"{m.upper()} {p}" for p, item in doc["paths"].items() for m in item}
    covered = set(CROSS_TEAM) | set(GLOBAL)
    assert sorted(operations - covered) == [], "add these to CROSS_TEAM or GLOBAL"
    assert sorted(covered - operations) == [], "these are gone from the API"


@pytest.mark.parametrize("operation", sorted(GLOBAL))
def test_global_endpoint_shows_team_a_only_its_own(world: World, operation: str) -> None:
    GLOBAL[operation](world)


def test_team_b_is_untouched(world: World) -> None:
    """Runs after the probes (same module, same world): nothing of B's changed."""
    page = _ok(world.as_b("GET", "/api/v1/projects"), 200)
    assert [(p["name"], p["tags"]) for p in page["items"]] == [
        ("b-secret-app", []),
        ("b-secret-module", []),
    ]
    docs = _ok(world.as_b("GET", f"/api/v1/projects/{world.ids['b_project']}/documents"), 200)
    assert [d["id"] for d in docs] == [world.ids["b_document"]]
    keys = _ok(world.as_b("GET", "/api/v1/keys"), 200)
    assert sorted((k["key_id"], k["revoked"]) for k in keys) == sorted(
        [(world.ids["b_team_key"], False), (world.ids["b_user_key"], False)]
    )
    assert [t["id"] for t in _ok(world.as_b("GET", "/api/v1/triage"), 200)] == [
        world.ids["b_triage"]
    ]
    assert [c["id"] for c in _ok(world.as_b("GET", "/api/v1/channels"), 200)] == [
        world.ids["b_channel"]
    ]
    with world.db.session() as s:
        members = s.execute(
            select(User.name)
            .join(Membership, Membership.user_id == User.id)
            .join(Team, Team.id == Membership.team_id)
            .where(Team.name == "team-b")
        ).scalars()
        assert list(members) == ["bob"]
        assert list(s.execute(select(Team.name).order_by(Team.name)).scalars()) == [
            "team-a",
            "team-b",
        ]
        sneaky = s.execute(select(func.count()).where(Project.name == "a-sneaky")).scalar_one()
        assert sneaky == 0


# --- permissions down the project tree ---------------------------------------------------


def _tree(client: TestClient, database: Database) -> tuple[str, str, dict[str, int]]:
    """Team B owns root -> mid -> leaf; returns (alice's key, bob's key, project ids)."""
    alice = new_user(database, "alice", teams=("team-a",))
    bob = new_user(database, "bob", teams=("team-b",))
    ids: dict[str, int] = {}
    parent = None
    for name in ("root", "mid", "leaf"):
        body: dict[str, Any] = {"name": name, **({"parent": parent} if parent else {})}
        parent = ids[name] = _ok(client.post("/api/v1/projects", json=body, headers=auth(bob)))[
            "id"
        ]
    return alice, bob, ids


def _grant(client: TestClient, key: str, project: int, permission: str) -> None:
    r = client.post(
        f"/api/v1/projects/{project}/grants",
        json={"team": "team-a", "permission": permission},
        headers=auth(key),
    )
    assert r.status_code == 204, r.text


def _upload(client: TestClient, key: str, project: int) -> Any:
    return client.post(f"/api/v1/projects/{project}/sbom", content=cdx(PYYAML), headers=auth(key))


def test_view_grant_on_a_parent_reaches_every_descendant(
    client: TestClient, database: Database
) -> None:
    alice, bob, ids = _tree(client, database)
    assert client.get(f"/api/v1/projects/{ids['leaf']}", headers=auth(alice)).status_code == 404
    _ok(_upload(client, bob, ids["leaf"]))
    _grant(client, bob, ids["mid"], "view")
    listed = _ok(client.get("/api/v1/projects", headers=auth(alice)), 200)
    assert [p["name"] for p in listed["items"]] == ["leaf", "mid"]
    leaf = _ok(client.get(f"/api/v1/projects/{ids['leaf']}", headers=auth(alice)), 200)
    assert (leaf["name"], leaf["components"]) == ("leaf", 1)
    found = _ok(client.get("/api/v1/components", headers=auth(alice)), 200)
    assert [c["project"]["name"] for c in found["items"]] == ["leaf"]
    assert client.get(f"/api/v1/projects/{ids['root']}", headers=auth(alice)).status_code == 404


def test_view_grant_cannot_upload_and_upload_grant_cannot_delete(
    client: TestClient, database: Database
) -> None:
    alice, bob, ids = _tree(client, database)
    _grant(client, bob, ids["root"], "view")
    r = _upload(client, alice, ids["leaf"])
    assert (r.status_code, r.json()["error"]["message"]) == (
        403,
        "you do not have the upload permission on this project",
    )
    _grant(client, bob, ids["mid"], "upload")
    assert _ok(_upload(client, alice, ids["leaf"]))["components"] == 1
    assert _upload(client, alice, ids["root"]).status_code == 403  # above the grant
    r = client.delete(f"/api/v1/projects/{ids['leaf']}", headers=auth(alice))
    assert (r.status_code, r.json()["error"]["message"]) == (
        403,
        "you do not have the admin permission on this project",
    )
    r = client.post(
        f"/api/v1/projects/{ids['leaf']}/grants",
        json={"team": "team-a", "permission": "admin"},
        headers=auth(alice),
    )
    assert r.status_code == 403
    _grant(client, bob, ids["leaf"], "admin")
    assert client.delete(f"/api/v1/projects/{ids['leaf']}", headers=auth(alice)).status_code == 204


def test_project_wide_triage_stays_inside_the_team(client: TestClient, database: Database) -> None:
    """Project names are shared across versions, and versions can belong to other teams:
    team A's decision for every version of "shop" must not reach team B's "shop 2.0"."""
    alice = new_user(database, "alice", teams=("team-a",))
    bob = new_user(database, "bob", teams=("team-b",))
    ids = {}
    for key, version in ((alice, "1.0"), (bob, "2.0")):
        params = {"name": "shop", "version": version, "autoCreate": "true"}
        r = client.post("/api/v1/sbom", params=params, content=cdx(LOG4J), headers=auth(key))
        ids[version] = _ok(r)["project"]
    decision = {
        "scope": "project",
        "project": ids["1.0"],
        "vulnerability": "CVE-2021-44228",
        "component": LOG4J.split("@")[0],  # every version of the component
        "state": "not_affected",
        "justification": "code_not_reachable",
    }
    _ok(client.post("/api/v1/triage", json=decision, headers=auth(alice)))
    mine = _ok(client.get(f"/api/v1/projects/{ids['1.0']}/findings", headers=auth(alice)), 200)
    assert [f["analysis"]["state"] for f in mine["items"]] == ["not_affected"]
    theirs = _ok(client.get(f"/api/v1/projects/{ids['2.0']}/findings", headers=auth(bob)), 200)
    assert [f["analysis"] for f in theirs["items"]] == [None]
    assert _ok(client.get("/api/v1/triage", headers=auth(bob)), 200) == []


# --- keys ------------------------------------------------------------------------------------


def test_team_key_acts_for_its_team_only(client: TestClient, database: Database) -> None:
    alice = new_user(database, "alice", teams=("team-a",))
    bob = new_user(database, "bob", teams=("team-b",))
    b_project = _ok(client.post("/api/v1/projects", json={"name": "b"}, headers=auth(bob)))["id"]
    ci = _ok(
        client.post("/api/v1/keys", json={"team": "team-a", "name": "ci"}, headers=auth(alice))
    )
    up = _ok(
        client.post(
            "/api/v1/sbom",
            params={"name": "a-svc", "autoCreate": "true"},
            content=cdx(PYYAML),
            headers=auth(ci["key"]),
        )
    )
    shown = _ok(client.get(f"/api/v1/projects/{up['project']}", headers=auth(alice)), 200)
    assert shown["team"] == "team-a"
    assert client.get(f"/api/v1/projects/{b_project}", headers=auth(ci["key"])).status_code == 404
    listed = _ok(client.get("/api/v1/projects", headers=auth(ci["key"])), 200)
    assert [p["name"] for p in listed["items"]] == ["a-svc"]
    r = client.post("/api/v1/keys", json={}, headers=auth(ci["key"]))  # a key is no user
    assert (r.status_code, r.json()["error"]["message"]) == (
        403,
        "you do not have the user permission on this project",
    )
    assert client.get("/api/v1/users", headers=auth(ci["key"])).status_code == 403


def test_revoked_and_expired_keys_are_401(client: TestClient, database: Database) -> None:
    key = new_user(database, "alice", teams=("team-a",))
    spare = _ok(client.post("/api/v1/keys", json={"name": "spare"}, headers=auth(key)))
    assert client.get("/api/v1/projects", headers=auth(spare["key"])).status_code == 200
    r = client.delete(f"/api/v1/keys/{spare['key_id']}", headers=auth(key))
    assert r.status_code == 204
    r = client.get("/api/v1/projects", headers=auth(spare["key"]))
    assert (r.status_code, r.json()["error"]["code"]) == (401, "srv-unauthenticated")
    with database.session() as s:
        user = s.execute(select(User).where(User.name == "alice")).scalar_one()
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        expired, _ = accounts.issue_key(s, actor="test", user=user, expires_at=past)
    r = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {expired}"})
    assert (r.status_code, r.headers["www-authenticate"]) == (401, "Bearer")
    wrong_secret = spare["key"].rsplit("_", 1)[0] + "_" + "x" * 43
    assert client.get("/api/v1/projects", headers=auth(wrong_secret)).status_code == 401
    assert client.get("/api/v1/projects", headers=auth(key)).status_code == 200


# --- login throttling --------------------------------------------------------------------


def _login_as(client: TestClient, password: str) -> Any:
    return client.post("/api/v1/auth/login", json={"username": "alice", "password": password})


def test_five_failed_logins_lock_the_name_until_the_window_ends(
    settings: Settings, database: Database
) -> None:
    new_user(database, "alice", teams=("team-a",))
    settings = dataclasses.replace(settings, login_attempts=5, lockout_seconds=60)
    with TestClient(create_app(settings, database)) as client:
        assert [_login_as(client, "wrong password").status_code for _ in range(5)] == [401] * 5
        r = _login_as(client, PASSWORD)
        assert (r.status_code, r.headers["retry-after"]) == (429, "60")
        assert r.json()["error"]["message"] == "too many failed logins; try again in 60 s"
        # The window passes: move the recorded failure back instead of sleeping.
        with database.session() as s:
            failure = s.get(LoginFailure, "alice")
            assert failure is not None and failure.locked_until is not None
            failure.first_at = aware(failure.first_at) - dt.timedelta(seconds=61)
            failure.locked_until = aware(failure.locked_until) - dt.timedelta(seconds=61)
        assert _login_as(client, "wrong password").status_code == 401  # a fresh count
        r = _login_as(client, PASSWORD)
        assert r.status_code == 200, r.text
        assert client.get("/api/v1/projects", headers=auth(r.json()["key"])).status_code == 200
        with database.session() as s:
            assert s.get(LoginFailure, "alice") is None  # success clears the count


# --- the first admin, from the command line ----------------------------------------------


def test_admin_create_user_prints_a_working_key(tmp_path: Path, advisories: Path) -> None:
    path = tmp_path / "portfolio.db"
    args = ["create-user", "root", "--admin", "--team", "ops", "--database", str(path)]
    r = CliRunner().invoke(admin_cli, args)
    assert r.exit_code == 0, r.output
    key = r.stdout.strip()
    assert key.startswith("sbk_") and r.stderr.splitlines() == [
        "user root created",
        f"API key (shown once, store it now): {key}",
    ]
    again = CliRunner().invoke(admin_cli, args)
    assert (again.exit_code, again.stderr) == (1, "Error: user root already exists\n")
    db = Database(str(path))
    settings = Settings(database=db.url, advisories=advisories, worker=False)
    with TestClient(create_app(settings, db)) as client:
        users = _ok(client.get("/api/v1/users", headers=auth(key)), 200)
        assert users == [{"id": 1, "name": "root", "admin": True, "teams": ["ops"]}]
        r = client.get("/api/v1/users", headers=auth(key[:-1] + ("A" if key[-1] != "A" else "B")))
        assert r.status_code == 401
    with db.session() as s:
        stored = s.execute(select(ApiKey.secret_hash)).scalar_one()
        assert key.split("_", 2)[2] not in stored  # only a hash is kept
    db.dispose()


def test_owning_an_ancestor_reaches_descendants_owned_by_another_team(
    client: TestClient, database: Database
) -> None:
    """Ownership is checked on the row and descendants through the tree: team A owning
    the root sees mid and leaf though team B owns those; team B no longer sees the root."""
    alice, bob, ids = _tree(client, database)
    _ok(_upload(client, bob, ids["leaf"]))
    with database.session() as s:
        team_a = s.execute(select(Team.id).where(Team.name == "team-a")).scalar_one()
        s.get_one(Project, ids["root"]).owner_team_id = team_a

    def listed(key: str) -> list[str]:
        page = _ok(client.get("/api/v1/projects", headers=auth(key)), 200)
        return [p["name"] for p in page["items"]]

    assert listed(alice) == ["leaf", "mid", "root"]
    assert listed(bob) == ["leaf", "mid"]
    for key in (alice, bob):
        found = _ok(client.get("/api/v1/components", headers=auth(key)), 200)
        assert [c["project"]["name"] for c in found["items"]] == ["leaf"]
    assert client.get(f"/api/v1/projects/{ids['root']}", headers=auth(bob)).status_code == 404
