"""Monitoring on SQLite and PostgreSQL: re-analysis on advisory changes, finding
lifecycle, triage that carries across versions and expires."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from serverkit import Receiver, auth, cdx, http_receiver, new_user
from sqlalchemy import text, update
from testkit import TESTDATA

from sbomkit.db.importer import import_sources
from sbomkit.db.sources import spec_for_path
from sbomkit.db.store import AdvisoryStore
from sbomkit.server.app import create_app
from sbomkit.server.config import Settings
from sbomkit.server.database import Database
from sbomkit.server.monitor import jobs
from sbomkit.server.monitor.handlers import HANDLERS
from sbomkit.server.monitor.lifecycle import bulk_work
from sbomkit.server.monitor.worker import Worker
from sbomkit.server.notify import verify_signature
from sbomkit.server.tables import Outbox

DATA = TESTDATA / "server"
LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
LOG4J_OLDER = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.0"
REQUESTS = "pkg:pypi/requests@2.32.3"
PYYAML = "pkg:pypi/pyyaml@5.3.1"


@pytest.fixture
def monitored(
    settings: Settings, database: Database, tmp_path: Path
) -> Iterator[tuple[TestClient, Worker, Settings]]:
    """A server whose advisory store the test may change, and its worker."""
    store = tmp_path / "advisories.db"
    shutil.copy(settings.advisories, store)
    own = dataclasses.replace(settings, advisories=store)
    with TestClient(create_app(own, database)) as client:
        yield client, Worker(database, own, HANDLERS), own


def _import(store: Path, folder: Path) -> None:
    with AdvisoryStore.open(store) as s:
        report = import_sources(s, [spec_for_path(folder)])
        assert report.errors == []


def _findings(client: TestClient, key: str, pid: int, **params: Any) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/projects/{pid}/findings", params=params, headers=auth(key))
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _upload(client: TestClient, key: str, name: str, version: str, *purls: str) -> int:
    r = client.post(
        "/api/v1/sbom",
        params={"name": name, "version": version, "autoCreate": "true"},
        content=cdx(*purls),
        headers=auth(key),
    )
    assert r.status_code == 201, r.text
    return int(r.json()["project"])


def _sync(client: TestClient, worker: Worker, admin: str) -> dict[str, Any]:
    r = client.post("/api/v1/advisories/sync", headers=auth(admin))
    assert r.status_code == 202, r.text
    worker.run_pending()
    job = client.get(f"/api/v1/jobs/{r.json()['job']}", headers=auth(admin)).json()
    assert job["status"] == "done", job
    return dict(job["result"])


def test_new_advisory_reanalyses_only_what_it_names_then_withdrawal_resolves(
    monitored: tuple[TestClient, Worker, Settings], database: Database
) -> None:
    client, worker, settings = monitored
    admin = new_user(database, "root", admin=True)
    alice = new_user(database, "alice", teams=("payments",))
    shop = _upload(client, alice, "shop", "1.0", LOG4J, REQUESTS)
    other = _upload(client, alice, "tools", "1.0", PYYAML)
    first = _sync(client, worker, admin)  # first sync: full reconcile, nothing new
    assert (first["new"], first["resolved"]) == (0, 0)

    _import(settings.advisories, DATA / "new-advisory")
    result = _sync(client, worker, admin)
    assert (result["packages"], result["identities"], result["projects"]) == (1, 1, 1)
    assert result["new"] == 1
    rows = [
        (f["vulnerability"], f["component"]["ref"], f["severity"])
        for f in _findings(client, alice, shop)
    ]
    assert ("CVE-2099-1111", REQUESTS, "critical") in rows
    assert [f["vulnerability"] for f in _findings(client, alice, other)] == ["CVE-2020-14343"]

    _import(settings.advisories, DATA / "withdrawn-advisory")
    result = _sync(client, worker, admin)
    assert (result["new"], result["resolved"]) == (0, 1)
    resolved = _findings(client, alice, shop, state="resolved")
    assert [(f["vulnerability"], f["state"]) for f in resolved] == [("CVE-2099-1111", "resolved")]
    assert resolved[0]["resolved_at"] is not None
    assert resolved[0]["first_seen"] < resolved[0]["resolved_at"]


def test_project_decision_carries_to_a_version_uploaded_later(
    monitored: tuple[TestClient, Worker, Settings], database: Database
) -> None:
    client, _, _ = monitored
    alice = new_user(database, "alice", teams=("payments",))
    v1 = _upload(client, alice, "shop", "1.0", LOG4J)
    decision = {
        "scope": "project",
        "project": v1,
        "vulnerability": "GHSA-jfh8-c2jp-5v3q",  # an alias of the finding's CVE
        "component": "pkg:maven/org.apache.logging.log4j/log4j-core",
        "state": "not_affected",
        "justification": "code_not_reachable",
        "comment": "JNDI lookups disabled by configuration",
    }
    r = client.post("/api/v1/triage", json=decision, headers=auth(alice))
    assert r.status_code == 201, r.text
    v2 = _upload(client, alice, "shop", "2.0", LOG4J_OLDER)
    for pid in (v1, v2):
        (finding,) = _findings(client, alice, pid)
        assert finding["analysis"]["state"] == "not_affected"
        assert finding["analysis"]["justification"] == "code_not_reachable"
    history = client.get(f"/api/v1/triage/{r.json()['id']}/history", headers=auth(alice)).json()
    assert [(h["actor"], h["old"], h["new"]["state"]) for h in history] == [
        ("alice", {}, "not_affected")
    ]

    decision["state"] = "affected"
    del decision["justification"]
    client.post("/api/v1/triage", json=decision, headers=auth(alice))
    history = client.get(f"/api/v1/triage/{r.json()['id']}/history", headers=auth(alice)).json()
    assert [(h["old"].get("state"), h["new"]["state"]) for h in history] == [
        (None, "not_affected"),
        ("not_affected", "affected"),
    ]
    assert _findings(client, alice, v2)[0]["analysis"]["state"] == "affected"


def test_rule_stops_applying_after_its_expiry(
    monitored: tuple[TestClient, Worker, Settings], database: Database
) -> None:
    client, worker, _ = monitored
    admin = new_user(database, "root", admin=True)
    alice = new_user(database, "alice", teams=("payments",))
    pid = _upload(client, alice, "shop", "1.0", PYYAML)
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    rule = {
        "scope": "rule",
        "vulnerability": "CVE-2020-14343",
        "component": "pkg:pypi/pyyaml@*",
        "state": "under_investigation",
        "expires_at": expires.isoformat(),
    }
    assert client.post("/api/v1/triage", json=rule, headers=auth(admin)).status_code == 201
    assert _findings(client, alice, pid)[0]["analysis"]["state"] == "under_investigation"
    time.sleep(max(0.0, (expires - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    assert _findings(client, alice, pid)[0]["analysis"] is None  # at read time already
    worker.tick()
    worker.run_pending()
    jobs = client.get("/api/v1/jobs", params={"status": "done"}, headers=auth(admin)).json()
    expiry = next(j for j in jobs if j["kind"] == "triage-expiry")
    assert (expiry["result"]["expired"], expiry["result"]["changed"]) == (1, 1)


def test_rule_requires_admin_or_team(client: TestClient, database: Database) -> None:
    alice = new_user(database, "alice", teams=("payments",))
    rule = {
        "scope": "rule",
        "vulnerability": "CVE-1",
        "component": "pkg:pypi/*",
        "state": "affected",
    }
    r = client.post("/api/v1/triage", json=rule, headers=auth(alice))
    assert r.status_code == 403
    rule["team"] = "payments"
    assert client.post("/api/v1/triage", json=rule, headers=auth(alice)).status_code == 201


def test_bad_justification_is_422_naming_the_field(client: TestClient, database: Database) -> None:
    alice = new_user(database, "alice", teams=("payments",))
    pid = _upload(client, alice, "shop", "1.0", PYYAML)
    body = {"scope": "version", "project": pid, "vulnerability": "CVE-2020-14343",
            "component": PYYAML, "state": "affected", "justification": "because"}  # fmt: skip
    r = client.post("/api/v1/triage", json=body, headers=auth(alice))
    assert r.status_code == 422
    assert r.json()["error"]["details"][0].startswith("justification: 'because' is not one of ")
    assert r.json()["error"]["details"][1] == "justification: only a not_affected decision has one"


LOG4J_1 = "pkg:maven/log4j/log4j@1.2.17"
DECISIONS = (  # component, vulnerability, state, justification
    (LOG4J, "CVE-2021-44228", "not_affected", "code_not_reachable"),
    (PYYAML, "CVE-2020-14343", "false_positive", None),
    (LOG4J_1, "CVE-2019-17571", "fixed", None),
)
# What each VEX format can say of those decisions.
ROUND_TRIP = {
    "cyclonedx-vex": {
        LOG4J: ("not_affected", "code_not_reachable"),
        PYYAML: ("false_positive", None),
        LOG4J_1: ("fixed", None),
    },
    # OpenVEX and CSAF have no false positive (not affected instead) and CISA's
    # justification words (code_not_reachable is vulnerable_code_not_in_execute_path).
    "openvex": {
        LOG4J: ("not_affected", "vulnerable_code_not_in_execute_path"),
        PYYAML: ("not_affected", None),
        LOG4J_1: ("fixed", None),
    },
    "csaf-vex": {
        LOG4J: ("not_affected", "vulnerable_code_not_in_execute_path"),
        PYYAML: ("not_affected", None),
        LOG4J_1: ("fixed", None),
    },
}


def _fresh_server(
    database: Database, settings: Settings, tmp_path: Path
) -> tuple[TestClient, Database]:
    """An empty server: a new SQLite file, or the PostgreSQL database emptied."""
    if database.dialect == "sqlite":
        fresh = Database(str(tmp_path / "fresh.db"))
    else:
        from sqlalchemy import text

        from sbomkit.server.tables import Base

        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        fresh = database
    return TestClient(create_app(dataclasses.replace(settings, database=fresh.url), fresh)), fresh


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIP))
def test_vex_export_then_import_into_a_fresh_server_keeps_the_states(
    fmt: str, client: TestClient, database: Database, settings: Settings, tmp_path: Path
) -> None:
    alice = new_user(database, "alice", teams=("payments",))
    pid = _upload(client, alice, "shop", "1.0", LOG4J, PYYAML, LOG4J_1)
    for component, vuln, state, justification in DECISIONS:
        body = {
            "scope": "version",
            "project": pid,
            "vulnerability": vuln,
            "component": component,
            "state": state,
            "justification": justification,
            "comment": f"{state} by review",
        }
        assert client.post("/api/v1/triage", json=body, headers=auth(alice)).status_code == 201
    vex = client.get(f"/api/v1/projects/{pid}/vex", params={"format": fmt}, headers=auth(alice))
    assert vex.status_code == 200, vex.text

    fresh, fresh_db = _fresh_server(database, settings, tmp_path)
    with fresh:
        bob = new_user(fresh_db, "bob", teams=("payments",))
        new_pid = _upload(fresh, bob, "shop", "1.0", LOG4J, PYYAML, LOG4J_1)
        r = fresh.post(f"/api/v1/projects/{new_pid}/vex", content=vex.content, headers=auth(bob))
        assert r.status_code == 200, r.text
        assert r.json()["decisions"] == 3
        got = {
            f["component"]["ref"]: (f["analysis"]["state"], f["analysis"]["justification"])
            for f in _findings(fresh, bob, new_pid)
        }
    assert got == ROUND_TRIP[fmt]


def test_malformed_vex_is_422_naming_the_problem(client: TestClient, database: Database) -> None:
    alice = new_user(database, "alice", teams=("payments",))
    pid = _upload(client, alice, "shop", "1.0", PYYAML)
    r = client.post(f"/api/v1/projects/{pid}/vex", content=b'{"document": {}}', headers=auth(alice))
    assert r.status_code == 422
    assert r.json()["error"]["details"] == [
        f"VEX for project {pid}: not a usable VEX document (neither OpenVEX (@context), "
        "CycloneDX (bomFormat) nor CSAF 2.0 (document.csaf_version))"
    ]


def _channel(client: TestClient, key: str, team: str, url: str, **subscription: Any) -> int:
    ch = {
        "team": team,
        "name": f"{team} hook",
        "kind": "webhook",
        "target": url,
        "secret": f"{team}-s3cret",
    }
    r = client.post("/api/v1/channels", json=ch, headers=auth(key))
    assert r.status_code == 201, r.text
    cid = int(r.json()["id"])
    r = client.post(f"/api/v1/channels/{cid}/subscriptions", json=subscription, headers=auth(key))
    assert r.status_code == 201, r.text
    return cid


def _webhooks(rec: Receiver, team: str) -> list[dict[str, Any]]:
    out = []
    for req in rec.requests:
        h = req.headers
        assert verify_signature(
            f"{team}-s3cret", req.body, h["x-sbomkit-timestamp"], h["x-sbomkit-signature"]
        )
        out.append(json.loads(req.body))
    return out


def test_new_advisory_notifies_exactly_the_right_subscribers_once(
    monitored: tuple[TestClient, Worker, Settings], database: Database
) -> None:
    client, worker, settings = monitored
    admin = new_user(database, "root", admin=True)
    alice = new_user(database, "alice", teams=("payments",))
    bob = new_user(database, "bob", teams=("search",))
    shop = _upload(client, alice, "shop", "1.0", LOG4J, REQUESTS)
    _upload(client, alice, "shop", "1.1", LOG4J, REQUESTS)  # same flaw in the next version
    _upload(client, bob, "search-ui", "1.0", PYYAML, "pkg:pypi/requests@2.32.4")
    with http_receiver() as pay, http_receiver() as kev, http_receiver() as search:
        events = ["new_finding", "finding_resolved"]
        _channel(client, alice, "payments", pay.url, events=events, min_severity="high")
        _channel(client, alice, "payments", kev.url, events=events, kev_only=True)
        _channel(
            client, bob, "search", search.url, events=["new_finding"], project_name="search-ui"
        )
        _sync(client, worker, admin)  # first sync: full reconcile, nothing new
        assert (pay.requests, kev.requests, search.requests) == ([], [], [])

        _import(settings.advisories, DATA / "new-advisory")
        result = _sync(client, worker, admin)
        assert (result["new"], result["notifications"]) == (2, 1)  # 2 versions, 1 message
        (hook,) = _webhooks(pay, "payments")
        assert hook["event"] == "new_finding"
        assert hook["project"]["name"] == "shop"
        assert hook["finding"]["vulnerability"] == "CVE-2099-1111"
        assert sorted(hook["finding"]["aliases"]) == ["GHSA-9999-aaaa-bbbb", "PYSEC-2099-1"]
        assert (hook["finding"]["severity"], hook["finding"]["fix"]) == ("critical", "2.32.4")
        assert (kev.requests, search.requests) == ([], [])  # not in KEV; not their project

        _sync(client, worker, admin)  # nothing changed: nothing more is said
        assert len(pay.requests) == 1

        _import(settings.advisories, DATA / "withdrawn-advisory")
        result = _sync(client, worker, admin)
        assert result["resolved"] == 2
        kinds = [h["event"] for h in _webhooks(pay, "payments")]
        assert kinds == ["new_finding", "finding_resolved", "finding_resolved"]
        assert (kev.requests, search.requests) == ([], [])
    resolved = _findings(client, alice, shop, state="resolved")
    assert [(f["vulnerability"], f["resolved_at"] is not None) for f in resolved] == [
        ("CVE-2099-1111", True)
    ]


def test_receiver_down_then_up_gets_every_notification_once(
    monitored: tuple[TestClient, Worker, Settings], database: Database
) -> None:
    client, worker, settings = monitored
    admin = new_user(database, "root", admin=True)
    alice = new_user(database, "alice", teams=("payments",))
    _upload(client, alice, "shop", "1.0", REQUESTS)
    _upload(client, alice, "cart", "1.0", REQUESTS)
    with http_receiver() as pay:
        cid = _channel(client, alice, "payments", pay.url, events=["new_finding"])
        _sync(client, worker, admin)
        pay.answer(503)  # down for the first two deliveries
        pay.answer(503)
        _import(settings.advisories, DATA / "new-advisory")
        _sync(client, worker, admin)
        outbox = client.get(f"/api/v1/channels/{cid}/notifications", headers=auth(alice)).json()
        assert sorted((o["status"], o["attempts"]) for o in outbox) == [
            ("pending", 1),
            ("pending", 1),
        ]
        assert outbox[0]["last_error"].startswith("127.0.0.1:")

        with database.session() as s:  # the backoff has passed
            s.execute(update(Outbox).values(next_attempt=dt.datetime.now(dt.UTC)))
        with database.session() as s:
            jobs.enqueue(s, "deliver")  # as the schedule does every 15 s
        worker.run_pending()
        outbox = client.get(f"/api/v1/channels/{cid}/notifications", headers=auth(alice)).json()
        assert sorted((o["status"], o["attempts"]) for o in outbox) == [("sent", 2), ("sent", 2)]
        delivered = [
            (h["project"]["name"], h["finding"]["vulnerability"])
            for h in _webhooks(pay, "payments")
        ]
    # two failed posts, then each notification exactly once
    assert len(pay.requests) == 4
    assert sorted(delivered[2:]) == [("cart", "CVE-2099-1111"), ("shop", "CVE-2099-1111")]


def test_notification_visibility_walks_up_the_project_tree(database: Database) -> None:
    """A team sees a project it owns or holds any grant on, and every project below it
    (as ``access.allowed``); ``events`` asks for many projects and teams at once."""
    from sbomkit.server.monitor.events import _learn_visible
    from sbomkit.server.tables import Grant, Project, Team

    with database.session() as s:
        owner, viewer, triager, stranger = (Team(name=n) for n in ("own", "view", "tri", "none"))
        s.add_all([owner, viewer, triager, stranger])
        s.flush()
        root = Project(name="platform", version="", owner_team_id=owner.id)
        s.add(root)
        s.flush()
        mid = Project(name="platform-core", version="2", parent_id=root.id)
        s.add(mid)
        s.flush()
        leaf = Project(name="platform-core-lib", version="2.1", parent_id=mid.id)
        alone = Project(name="other", version="1", owner_team_id=stranger.id)
        s.add_all([leaf, alone])
        s.flush()
        s.add_all(
            [
                Grant(team_id=viewer.id, project_id=mid.id, permission="view"),
                Grant(team_id=triager.id, project_id=leaf.id, permission="triage"),
            ]
        )
        s.flush()
        teams = (owner.id, viewer.id, triager.id, stranger.id)
        projects = (root.id, mid.id, leaf.id, alone.id)
        visible = {(owner.id, alone.id): True}  # known already: not asked again
        _learn_visible(s, {(t, p) for t in teams for p in projects}, visible)
        seen = {(t, p) for (t, p), ok in visible.items() if ok}
    assert seen == {
        (owner.id, root.id),
        (owner.id, mid.id),
        (owner.id, leaf.id),
        (owner.id, alone.id),
        (viewer.id, mid.id),
        (viewer.id, leaf.id),
        (triager.id, leaf.id),
        (stranger.id, alone.id),
    }
    assert len(visible) == 16


def test_bulk_work_plans_per_statement_without_replanning_foreign_key_checks(
    pg_database: Database,
) -> None:
    # force_custom_plan also re-planned PostgreSQL's per-row foreign key check, which
    # made writing a full re-analysis's findings three times slower (issue 8).
    with pg_database.session() as session:
        driver = session.connection().connection.driver_connection
        before = driver.prepare_threshold
        assert before == 5
        with bulk_work(session):
            settings = session.execute(
                text("SELECT current_setting('plan_cache_mode'), current_setting('jit')")
            ).one()
            assert tuple(settings) == ("auto", "off")
            assert driver.prepare_threshold is None
        assert driver.prepare_threshold == 5
        session.rollback()
