"""The REST API end to end on SQLite and PostgreSQL: upload, match, search, export."""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient
from serverkit import auth, cdx, new_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from sbomkit.server.app import create_app
from sbomkit.server.config import Settings
from sbomkit.server.database import Database

LOG4J_VULN = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
LOG4J_FIXED = "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"
PYYAML = "pkg:pypi/pyyaml@5.3.1"
REQUESTS = "pkg:pypi/requests@2.32.3"


def test_health_needs_no_key_and_names_the_schema(client: TestClient, database: Database) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": database.dialect, "schema": "0002"}


def test_no_key_is_401_with_the_error_body(client: TestClient) -> None:
    r = client.get("/api/v1/projects")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json() == {
        "error": {
            "status": 401,
            "code": "srv-unauthenticated",
            "message": "authentication required: "
            "send an API key in X-Api-Key or Authorization: Bearer",
            "details": [],
        }
    }


def test_errors_speak_japanese_when_asked(client: TestClient) -> None:
    r = client.get("/api/v1/projects", headers={"Accept-Language": "ja"})
    assert r.json()["error"]["message"].startswith("認証が必要です")


def test_dependency_track_put_bom_creates_matches_and_finds(
    client: TestClient, database: Database
) -> None:
    key = new_user(database, "alice", teams=("payments",))
    body = {
        "projectName": "shop",
        "projectVersion": "1.0",
        "autoCreate": True,
        "bom": base64.b64encode(cdx(LOG4J_VULN, PYYAML, REQUESTS)).decode(),
    }
    r = client.put("/api/v1/bom", json=body, headers=auth(key))
    assert r.status_code == 200, r.text
    up = r.json()
    assert (up["components"], up["findings"]) == (3, 2)
    assert client.get(f"/api/v1/event/token/{up['token']}", headers=auth(key)).json() == {
        "processing": False
    }

    found = client.get(f"/api/v1/projects/{up['project']}/findings", headers=auth(key)).json()
    rows = [
        (f["vulnerability"], f["component"]["name"], f["severity"], f["kev"], f["fix"])
        for f in found["items"]
    ]
    assert rows == [
        ("CVE-2021-44228", "org.apache.logging.log4j:log4j-core", "critical", True, "2.15.0"),
        ("CVE-2020-14343", "pyyaml", "unknown", False, "5.4"),  # PYSEC rates nothing,
    ]
    assert found["next_cursor"] is None

    projects = client.get(
        "/api/v1/vulnerabilities/GHSA-jfh8-c2jp-5v3q/projects", headers=auth(key)
    ).json()
    assert projects == [
        {
            "id": up["project"],
            "name": "shop",
            "version": "1.0",
            "components": [{"ref": LOG4J_VULN, "finding": "CVE-2021-44228", "state": "open"}],
        }
    ]


def test_component_search_by_version_range(client: TestClient, database: Database) -> None:
    key = new_user(database, "alice", teams=("payments",))
    for version, purl in (("1.0", LOG4J_VULN), ("2.0", LOG4J_FIXED)):
        r = client.post(
            "/api/v1/sbom",
            params={"name": "shop", "version": version, "autoCreate": "true"},
            content=cdx(purl, REQUESTS),
            headers=auth(key),
        )
        assert r.status_code == 201, r.text
    params = {
        "ecosystem": "maven",
        "name": "org.apache.logging.log4j:log4j-core",
        "range": "<2.17.1",
    }
    hits = client.get("/api/v1/components", params=params, headers=auth(key)).json()
    assert [(h["project"]["version"], h["version"]) for h in hits["items"]] == [("1.0", "2.14.1")]
    params["range"] = "vers:maven/>=2.17.1"
    hits = client.get("/api/v1/components", params=params, headers=auth(key)).json()
    assert [(h["project"]["version"], h["version"]) for h in hits["items"]] == [("2.0", "2.17.1")]


def test_component_search_by_purl_with_and_without_version(
    client: TestClient, database: Database
) -> None:
    """``_`` in a purl is a character, not a LIKE wildcard; without a version the search
    matches every version of that package and no other package."""
    key = new_user(database, "alice", teams=("payments",))
    purls = ("pkg:npm/a_b@1.0.0", "pkg:npm/a_b@2.0.0", "pkg:npm/axb@1.0.0", "pkg:npm/a_bc@1.0.0")
    r = client.post(
        "/api/v1/sbom",
        params={"name": "web", "autoCreate": "true"},
        content=cdx(*purls),
        headers=auth(key),
    )
    assert r.status_code == 201, r.text

    def found(purl: str) -> list[str]:
        page = client.get("/api/v1/components", params={"purl": purl}, headers=auth(key))
        return [c["purl"] for c in page.json()["items"]]

    assert found("pkg:npm/a_b") == ["pkg:npm/a_b@1.0.0", "pkg:npm/a_b@2.0.0"]
    assert found("pkg:npm/a_b@2.0.0") == ["pkg:npm/a_b@2.0.0"]
    assert found("pkg:npm/a%b") == []


def test_keyset_pages_cover_every_row_once(client: TestClient, database: Database) -> None:
    key = new_user(database, "alice", teams=("payments",))
    purls = [f"pkg:pypi/pkg{i:03d}@1.0" for i in range(25)]
    r = client.post(
        "/api/v1/sbom",
        params={"name": "big", "autoCreate": "true"},
        content=cdx(*purls),
        headers=auth(key),
    )
    assert r.status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 10, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/components", params=params, headers=auth(key)).json()
        seen += [c["purl"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(purls)


def test_reupload_resolves_gone_findings_and_keeps_history(
    client: TestClient, database: Database
) -> None:
    key = new_user(database, "alice", teams=("payments",))
    params = {"name": "shop", "version": "1.0", "autoCreate": "true"}
    first = client.post(
        "/api/v1/sbom", params=params, content=cdx(LOG4J_VULN, PYYAML), headers=auth(key)
    ).json()
    pid = first["project"]
    client.post("/api/v1/sbom", params=params, content=cdx(LOG4J_FIXED, PYYAML), headers=auth(key))
    open_ = client.get(f"/api/v1/projects/{pid}/findings", headers=auth(key)).json()["items"]
    resolved = client.get(
        f"/api/v1/projects/{pid}/findings", params={"state": "resolved"}, headers=auth(key)
    ).json()["items"]
    assert [f["vulnerability"] for f in open_] == ["CVE-2020-14343"]
    assert [f["vulnerability"] for f in resolved] == ["CVE-2021-44228"]
    assert resolved[0]["resolved_at"] is not None


def test_export_original_bytes_and_other_formats(client: TestClient, database: Database) -> None:
    key = new_user(database, "alice", teams=("payments",))
    data = cdx(LOG4J_VULN, PYYAML)
    pid = client.post(
        "/api/v1/sbom",
        params={"name": "shop", "autoCreate": "true"},
        content=data,
        headers=auth(key),
    ).json()["project"]
    assert client.get(f"/api/v1/projects/{pid}/sbom", headers=auth(key)).content == data
    spdx = client.get(
        f"/api/v1/projects/{pid}/sbom", params={"format": "spdx-json"}, headers=auth(key)
    ).json()
    assert sorted(p["name"] for p in spdx["packages"]) == [
        "app",
        "org.apache.logging.log4j:log4j-core",
        "pyyaml",
    ]
    vdr = client.get(f"/api/v1/projects/{pid}/vdr", headers=auth(key)).json()
    assert sorted(v["id"] for v in vdr["vulnerabilities"]) == ["CVE-2020-14343", "CVE-2021-44228"]
    openvex = client.get(
        f"/api/v1/projects/{pid}/vex", params={"format": "openvex"}, headers=auth(key)
    ).json()
    assert {s["vulnerability"]["name"] for s in openvex["statements"]} == {
        "CVE-2020-14343",
        "CVE-2021-44228",
    }


def test_too_large_upload_is_413_naming_the_limit(client: TestClient, database: Database) -> None:
    key = new_user(database, "alice", teams=("payments",))
    r = client.post(
        "/api/v1/sbom",
        params={"name": "x", "autoCreate": "true"},
        content=b" " * 2_000_001,
        headers=auth(key),
    )
    assert r.status_code == 413
    assert (
        r.json()["error"]["message"]
        == "upload of 2000001 bytes is larger than the limit of 2000000 bytes"
    )


def test_too_many_components_is_422(client: TestClient, database: Database) -> None:
    key = new_user(database, "alice", teams=("payments",))
    data = cdx(*(f"pkg:pypi/p{i}@1" for i in range(501)))
    r = client.post(
        "/api/v1/sbom", params={"name": "x", "autoCreate": "true"}, content=data, headers=auth(key)
    )
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "the SBOM has 501 components; the limit is 500"
    assert client.get("/api/v1/projects", headers=auth(key)).json()["items"] == []


def test_schema_invalid_sbom_is_422_with_the_validator_messages(
    client: TestClient, database: Database
) -> None:
    key = new_user(database, "alice", teams=("payments",))
    bad = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library"}]}'
    r = client.post(
        "/api/v1/sbom", params={"name": "x", "autoCreate": "true"}, content=bad, headers=auth(key)
    )
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "srv-invalid-sbom"
    assert err["details"] == ["/components/0: 'name' is a required property"]


def test_not_an_sbom_is_422_naming_the_problem(client: TestClient, database: Database) -> None:
    key = new_user(database, "alice", teams=("payments",))
    r = client.post(
        "/api/v1/sbom",
        params={"name": "x", "autoCreate": "true"},
        content=b"hello",
        headers=auth(key),
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"] == [
        "x: not a file of the expected format "
        "(not CycloneDX (JSON, XML) or SPDX (JSON, YAML, tag-value, 3.0 JSON-LD))"
    ]


def test_upload_is_committed_before_the_response_starts(
    client: TestClient, database: Database
) -> None:
    """A session ending after the response (FastAPI's default "request" scope) would
    answer 201 for an upload that a crash could still lose."""
    key = new_user(database, "alice", teams=("payments",))
    order: list[str] = []

    def committed(_: Session) -> None:
        order.append("commit")

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        async def watched(message: Any) -> None:
            if message["type"] == "http.response.start":
                order.append("response")
            await send(message)

        await client.app(scope, receive, watched)

    event.listen(Session, "after_commit", committed)
    try:
        r = TestClient(recording).post(
            "/api/v1/sbom",
            params={"name": "shop", "version": "1.0", "autoCreate": "true"},
            content=cdx(PYYAML),
            headers=auth(key),
        )
    finally:
        event.remove(Session, "after_commit", committed)
    assert (r.status_code, order) == (201, ["commit", "response"])


def test_a_webhook_to_a_private_address_is_refused_by_default(
    settings: Settings, database: Database
) -> None:
    key = new_user(database, "alice", teams=("payments",))
    hook = {"team": "payments", "name": "tap", "kind": "webhook"}
    with TestClient(create_app(replace(settings, private_webhooks=False), database)) as c:
        inside = c.post(
            "/api/v1/channels",
            json=hook | {"target": "http://169.254.169.254/latest/meta-data/"},
            headers=auth(key),
        )
        outside = c.post(
            "/api/v1/channels", json=hook | {"target": "https://hooks.example/x"}, headers=auth(key)
        )
    assert (inside.status_code, inside.json()["error"]["details"]) == (
        422,
        ["target: 169.254.169.254 is not a public address (SBOMKIT_SERVER_PRIVATE_WEBHOOKS)"],
    )
    assert outside.status_code == 201
