"""The background worker: runs queued jobs, ticks the schedules, recovers stale jobs.

Each server process runs one worker thread (``Worker.start``); tests call
``run_pending()`` to drive the same code synchronously. A handler gets its own
transaction: it commits with the job's completion or not at all.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from sbomkit.server.config import Settings
from sbomkit.server.database import Database
from sbomkit.server.monitor import jobs

log = logging.getLogger("sbomkit.server.worker")
Handler = Callable[[Session, Settings, dict[str, Any]], dict[str, Any]]

# name -> seconds between runs
SCHEDULES = {
    "advisory-sync": 60,
    "deliver": 15,
    "digest": 86_400,
    "metrics": 3_600,
    "triage-expiry": 60,
}


class Worker:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        handlers: dict[str, Handler],
        schedules: dict[str, int] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.handlers = handlers
        self._schedules = schedules
        self.name = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> None:
        """Enqueue what the schedules say is due and take back jobs of dead workers."""
        with self.db.session() as s:
            jobs.requeue_stale(s)
            for name in jobs.due_schedules(s, self.schedules()):
                jobs.enqueue(s, name, unique=True)

    def schedules(self) -> dict[str, int]:
        if self._schedules is not None:
            return self._schedules
        out = dict(SCHEDULES)
        if self.settings.update_interval:
            out["advisory-update"] = self.settings.update_interval
        return out

    def run_one(self) -> bool:
        with self.db.session() as s:
            job = jobs.claim(s, self.name)
        if job is None:
            return False
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for job kind {job.kind!r}")
            with self.db.session() as s:
                result = handler(s, self.settings, job.payload)
                jobs.finish(s, job.id, result)
        except Exception as e:  # a failing job must not stop the worker
            log.warning("job %s (%s) failed: %s", job.id, job.kind, e)
            detail = "".join(traceback.format_exception_only(type(e), e)).strip()
            with self.db.session() as s:
                jobs.fail(s, job, detail)
        return True

    def run_pending(self, limit: int = 1000) -> int:
        """Run ready jobs until none is left (or ``limit``); returns how many ran."""
        ran = 0
        while ran < limit and self.run_one():
            ran += 1
        return ran

    def start(self, poll: float = 1.0) -> None:
        self._thread = threading.Thread(
            target=self._loop, args=(poll,), name="sbomkit-worker", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self, poll: float) -> None:
        last_tick = dt.datetime.min.replace(tzinfo=dt.UTC)
        while not self._stop.is_set():
            try:
                now = dt.datetime.now(dt.UTC)
                if now - last_tick >= dt.timedelta(seconds=5):
                    self.tick()
                    last_tick = now
                if self.run_one():
                    continue
            except Exception as e:  # database down for a moment: try again later
                log.warning("worker: %s", e)
            self._stop.wait(poll)
