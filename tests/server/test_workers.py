"""``sbomkit serve --workers N``: a socket per worker, connections spread over the workers."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sbomkit.server.workers import listen_socket, spreads

SBOMKIT = Path(sys.executable).parent / "sbomkit"
pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="Linux/BSD only")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_workers_bind_one_port_and_answer_without_nagle() -> None:
    port = _free_port()
    first, second = listen_socket("127.0.0.1", port), listen_socket("127.0.0.1", port)
    second.close()
    nodelay: list[int] = []

    async def main() -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            nodelay.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=first)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(100):
                if nodelay:
                    break
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(main())
    assert nodelay == [1]
    assert spreads("127.0.0.1", port) and not spreads("127.0.0.1", 0) and not spreads("::1", port)


def _socket_inodes(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def _established_to(port: int) -> set[str]:
    """Inodes of the server side of established connections on ``port``."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # ESTABLISHED
            inodes.add(fields[9])
    return inodes


def test_serve_with_two_workers_spreads_connections(tmp_path: Path) -> None:
    port = _free_port()
    args = [str(SBOMKIT), "serve", "--database", str(tmp_path / "p.db"), "--port", str(port)]
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [*args, "--workers", "2"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) for _ in range(16)]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if clients[0].get("/api/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        for c in clients:
            assert c.get("/api/v1/health").json()["status"] == "ok"
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        served = _established_to(port)
        counts = [len(_socket_inodes(int(pid)) & served) for pid in children]
        # The two workers (multiprocessing's resource tracker holds none). 16 connections
        # hashed over two sockets all go to one worker once in 32,768 runs.
        assert sum(counts) == 16 and len([n for n in counts if n]) == 2
    finally:
        for c in clients:
            c.close()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
