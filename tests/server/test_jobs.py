"""The job queue and the scheduled jobs: retries, restart recovery, advisory download,
metrics, digests. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from serverkit import auth, cdx, http_receiver, new_user
from sqlalchemy import select, update
from testkit import TESTDATA

from sbomkit.server.app import create_app
from sbomkit.server.config import Settings
from sbomkit.server.database import Database
from sbomkit.server.monitor import jobs
from sbomkit.server.monitor.handlers import HANDLERS
from sbomkit.server.monitor.worker import Worker
from sbomkit.server.tables import Job

LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
REQUESTS = "pkg:pypi/requests@2.32.3"
PYYAML = "pkg:pypi/pyyaml@5.3.1"


def _job(database: Database, job_id: int) -> Job:
    with database.session() as s:
        job = s.get(Job, job_id)
        assert job is not None
        s.expunge(job)
        return job


def test_failing_job_is_retried_with_backoff_then_failed(
    database: Database, settings: Settings
) -> None:
    calls: list[int] = []

    def flaky(s: Any, st: Settings, payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(1)
        raise RuntimeError("receiver said no")

    worker = Worker(database, settings, {"flaky": flaky})
    with database.session() as s:
        job_id = jobs.enqueue(s, "flaky", {"n": 1}, max_attempts=2)
    assert job_id is not None
    assert worker.run_pending() == 1
    job = _job(database, job_id)
    assert (job.status, job.attempts, job.error) == ("queued", 1, "RuntimeError: receiver said no")
    assert worker.run_pending() == 0  # backing off
    with database.session() as s:
        s.execute(update(Job).values(run_after=dt.datetime.now(dt.UTC)))
    assert worker.run_pending() == 1
    job = _job(database, job_id)
    assert (job.status, job.attempts, len(calls)) == ("failed", 2, 2)


def test_job_of_a_dead_worker_runs_again_after_restart(
    database: Database, settings: Settings
) -> None:
    done: list[dict[str, Any]] = []

    def work(s: Any, st: Settings, payload: dict[str, Any]) -> dict[str, Any]:
        done.append(payload)
        return {"ok": True}

    with database.session() as s:
        job_id = jobs.enqueue(s, "work", {"n": 7})
    with database.session() as s:  # a worker takes it and dies (no finish, no heartbeat)
        claimed = jobs.claim(s, "dead-worker")
    assert claimed is not None and claimed.id == job_id
    restarted = Worker(database, settings, {"work": work}, schedules={})
    restarted.tick()
    assert restarted.run_pending() == 0  # heartbeat still fresh: not taken away yet
    with database.session() as s:
        s.execute(update(Job).values(heartbeat=dt.datetime.now(dt.UTC) - jobs.STALE * 2))
    restarted.tick()
    assert restarted.run_pending() == 1
    assert done == [{"n": 7}]
    job = _job(database, job_id)
    assert (job.status, job.attempts, job.result) == ("done", 2, '{"ok": true}')


def test_unique_enqueue_keeps_one_queued_job(database: Database) -> None:
    with database.session() as s:
        first = jobs.enqueue(s, "deliver", unique=True)
        second = jobs.enqueue(s, "deliver", unique=True)
        queued = s.execute(select(Job.id).where(Job.kind == "deliver")).scalars().all()
    assert (first is not None, second, queued) == (True, None, [first])


@pytest.fixture
def osv_mirror(tmp_path: Path) -> Iterator[str]:
    """A local OSV bucket: <base>/PyPI/all.zip holding the new advisory."""
    root = tmp_path / "bucket"
    (root / "PyPI").mkdir(parents=True)
    with zipfile.ZipFile(root / "PyPI" / "all.zip", "w") as z:
        z.write(TESTDATA / "server" / "new-advisory" / "PYSEC-2099-1.json", "PYSEC-2099-1.json")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None  # type: ignore[method-assign,assignment]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_scheduled_download_of_advisories_finds_new_findings(
    database: Database, settings: Settings, tmp_path: Path, osv_mirror: str
) -> None:
    store = tmp_path / "advisories.db"
    store.write_bytes(settings.advisories.read_bytes())
    own = dataclasses.replace(
        settings,
        advisories=store,
        update_interval=3600,
        update_url=osv_mirror,
        update_ecosystems=("PyPI",),
    )
    with TestClient(create_app(own, database)) as client:
        alice = new_user(database, "alice", teams=("payments",))
        r = client.post(
            "/api/v1/sbom",
            params={"name": "shop", "autoCreate": "true"},
            content=cdx(REQUESTS),
            headers=auth(alice),
        )
        pid = r.json()["project"]
        worker = Worker(database, own, HANDLERS)
        worker.tick()  # first tick: every schedule is due
        worker.run_pending()
        found = client.get(f"/api/v1/projects/{pid}/findings", headers=auth(alice)).json()["items"]
    assert [f["vulnerability"] for f in found] == ["CVE-2099-1111"]
    with database.session() as s:
        update_job = s.execute(select(Job).where(Job.kind == "advisory-update")).scalar_one()
        assert update_job.status == "done"
        assert json.loads(update_job.result or "{}")["downloaded"] == 1


def test_metrics_count_per_day_and_time_to_detect(
    client: TestClient, database: Database, settings: Settings
) -> None:
    alice = new_user(database, "alice", teams=("payments",))
    r = client.post(
        "/api/v1/sbom",
        params={"name": "shop", "autoCreate": "true"},
        content=cdx(LOG4J, PYYAML, REQUESTS),
        headers=auth(alice),
    )
    pid = r.json()["project"]
    worker = Worker(database, settings, HANDLERS)
    with database.session() as s:
        jobs.enqueue(s, "metrics")
    worker.run_pending()
    body = client.get(f"/api/v1/projects/{pid}/metrics", headers=auth(alice)).json()
    (day,) = body["days"]
    assert day["day"] == dt.datetime.now(dt.UTC).date().isoformat()
    counts = {k: day[k] for k in ("components", "critical", "unknown", "open", "resolved", "kev")}
    assert counts == {
        "components": 3,
        "critical": 1,
        "unknown": 1,
        "open": 2,
        "resolved": 0,
        "kev": 1,
    }
    detect = body["response"]["time_to_detect_days"]
    # log4j-core's advisory: published 2021-12-10; PYSEC-2021-142: 2021-02-09T21:15Z
    assert detect["count"] == 2
    now = dt.datetime.now(dt.UTC)
    ages = [
        (now - dt.datetime(*d, tzinfo=dt.UTC)).total_seconds() / 86400
        for d in ((2021, 12, 10), (2021, 2, 9, 21, 15))
    ]
    assert abs(detect["mean"] - sum(ages) / 2) < 0.1
    portfolio = client.get("/api/v1/metrics/portfolio", headers=auth(alice)).json()
    assert [(p["projects"], p["critical"], p["open"]) for p in portfolio] == [(1, 1, 2)]


def test_digest_subscription_gets_one_message_for_many_events(
    client: TestClient, database: Database, settings: Settings
) -> None:
    alice = new_user(database, "alice", teams=("payments",))
    worker = Worker(database, settings, HANDLERS)
    with http_receiver() as rec:
        ch = {"team": "payments", "name": "daily", "kind": "webhook", "target": rec.url}
        cid = client.post("/api/v1/channels", json=ch, headers=auth(alice)).json()["id"]
        sub = {"events": ["new_finding"], "digest": True}
        assert (
            client.post(
                f"/api/v1/channels/{cid}/subscriptions", json=sub, headers=auth(alice)
            ).status_code
            == 201
        )
        client.post(
            "/api/v1/sbom",
            params={"name": "shop", "autoCreate": "true"},
            content=cdx(LOG4J, PYYAML),
            headers=auth(alice),
        )
        worker.run_pending()
        assert rec.requests == []  # waiting for the digest
        with database.session() as s:
            jobs.enqueue(s, "digest")
        worker.run_pending()
        (req,) = rec.requests
    body = json.loads(req.body)
    assert (body["event"], body["count"]) == ("digest", 2)
    assert [e["finding"]["vulnerability"] for p in body["projects"] for e in p["events"]] == [
        "CVE-2021-44228",
        "CVE-2020-14343",
    ]
