"""``sbomkit serve --workers N``: uvicorn's supervisor, but a listening socket per worker.

With one socket shared by every worker, the first worker to wake accepts every pending
connection (asyncio accepts in a loop): 32 clients connecting at once all landed on one of
two workers, and the other stayed idle. Sockets of their own with ``SO_REUSEPORT`` let the
kernel spread connections over the workers. Linux only lets processes of the same user
join such a group of sockets.
"""

from __future__ import annotations

import socket

from uvicorn import Config
from uvicorn.supervisors import Multiprocess


def spreads(host: str, port: int) -> bool:
    """Whether workers can each listen on their own socket here."""
    return hasattr(socket, "SO_REUSEPORT") and port != 0 and ":" not in host


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other workers may bind too (asyncio listens).

    Made with IPPROTO_TCP, not 0 as uvicorn's shared socket: asyncio sets TCP_NODELAY only
    on connections whose socket says TCP, and without it a response written in two parts
    waited for the client's delayed ACK (48 ms instead of 5 for one client's search)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


class SpreadWorkers(Multiprocess):
    """Every worker process uvicorn starts (or restarts) gets a socket made for it; the
    parent's copy goes with the worker's ``Process`` object, so a dead worker's socket
    leaves the group when it is replaced (connections queued on it are reset)."""

    def __init__(self, config: Config) -> None:
        self._check = listen_socket(config.host, config.port)  # fail early if taken
        self._check.close()
        super().__init__(config, sockets=[])

    @property
    def sockets(self) -> list[socket.socket]:
        # Listening from the start: a connection the kernel gives to a worker still
        # starting waits in its queue (the first worker up would answer the health check
        # while the kernel left the others out, and keep-alive clients stay where they land).
        sock = listen_socket(self.config.host, self.config.port)
        sock.listen(self.config.backlog)
        return [sock]

    @sockets.setter
    def sockets(self, value: list[socket.socket]) -> None:
        """uvicorn's constructor sets its shared sockets (none here)."""
