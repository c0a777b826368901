from __future__ import annotations

import pytest

from sbomkit.server.notify import sign, verify_signature

BODY = b'{"a":1}'
# printf '1767225600.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
SIGNATURE = "sha256=6d204545ff126a339c00513d93603299c984074ce1331c3537c3f6c976b49019"
SENT = 1767225600


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    assert sign("whsec_test", SENT, BODY) == SIGNATURE


@pytest.mark.parametrize(
    ("secret", "body", "timestamp", "signature", "now", "ok"),
    [
        ("whsec_test", BODY, "1767225600", SIGNATURE, SENT + 10, True),
        ("whsec_test", BODY, "1767225600", SIGNATURE, SENT - 10, True),  # clocks differ a bit
        ("whsec_test", b'{"a":2}', "1767225600", SIGNATURE, SENT, False),
        ("other", BODY, "1767225600", SIGNATURE, SENT, False),
        ("whsec_test", BODY, "1767225601", SIGNATURE, SENT, False),
        ("whsec_test", BODY, "1767225600", SIGNATURE, SENT + 301, False),  # replayed later
        ("whsec_test", BODY, "1767225600", SIGNATURE.removeprefix("sha256="), SENT, False),
        ("whsec_test", BODY, "-1", SIGNATURE, SENT, False),
        ("whsec_test", BODY, "", SIGNATURE, SENT, False),
    ],
    ids=["ok", "ok-early", "body", "secret", "timestamp", "too-old", "no-prefix",
         "negative", "missing"],
)  # fmt: skip
def test_verify_signature(
    secret: str, body: bytes, timestamp: str, signature: str, now: float, ok: bool
) -> None:
    assert verify_signature(secret, body, timestamp, signature, now=now) is ok
