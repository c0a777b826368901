"""Real local receivers for notification tests: an HTTP server and an SMTP server.

Both listen on 127.0.0.1 on a port the kernel picks, record what they receive, and can be
told how to answer (an HTTP status and headers; an SMTP reply to RCPT TO), so retry and
refusal paths run against real sockets rather than mocks.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from serverkit import Receiver, http_receiver

from sbomkit.match.findings import Level
from sbomkit.server.notify import Event


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as rec:
        yield rec


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)
    rcpt_reply: str = ""  # e.g. "550 5.1.1 no such user"; empty accepts every recipient


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.box.rcpt_reply and address.startswith("nobody@"):
            return self.box.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.box.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


class _BoundController(Controller):
    """aiosmtpd's Controller on a socket bound beforehand, so port 0 works without races."""

    def __init__(self, handler: _Handler, **kw: Any) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        super().__init__(handler, hostname="127.0.0.1", port=self._sock.getsockname()[1], **kw)

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


def _run(box: Mailbox, **kw: Any) -> Iterator[Mailbox]:
    controller = _BoundController(_Handler(box), **kw)
    box.port = controller.port
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    yield from _run(Mailbox("127.0.0.1", 0))


@dataclass(frozen=True)
class Cert:
    cert: Path
    key: Path


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Cert:
    """A self-signed certificate for 127.0.0.1, made by the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("the openssl command is required to make a test certificate")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return Cert(cert, key)


@pytest.fixture
def starttls_server(certificate: Cert) -> Iterator[Mailbox]:
    """STARTTLS required before anything else; AUTH LOGIN/PLAIN as alice / s3cret."""
    box = Mailbox("127.0.0.1", 0)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.cert, certificate.key)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"alice",
            b"s3cret",
        )
        if ok:
            box.logins.append((data.login, data.password))
        return AuthResult(success=ok, handled=False)  # handled=False: server sends 535

    yield from _run(box, tls_context=context, require_starttls=True, authenticator=authenticate)


LOG4J = Event(
    kind="new_finding",
    project_id=7,
    project_name="shop",
    project_version="1.2.0",
    component_ref="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
    component_name="log4j-core",
    component_version="2.14.1",
    vuln_id="GHSA-jfh8-c2jp-5v3q",
    aliases=("CVE-2021-44228",),
    severity=Level.CRITICAL,
    score=10.0,
    kev=True,
    fix="2.15.0",
    summary="Remote code injection in Log4j",
    occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    finding_id=42,
    url="https://sbomkit.example/projects/7/findings/42",
)


@pytest.fixture
def log4j() -> Event:
    """A new critical, known-exploited finding: log4j-core 2.14.1 in shop 1.2.0."""
    return LOG4J
