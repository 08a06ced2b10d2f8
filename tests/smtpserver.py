"""A real SMTP server on 127.0.0.1 for the digest tests (aiosmtpd), on a port of its own.

`behaviour` chooses what it does with a message: "accept" (250, kept in
`received`), "refuse" (554 after DATA), or "drop" (the connection closed
during DATA, no reply). Not a mock: smtplib talks SMTP to it over TCP.
"""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self):
        self.behaviour = "accept"
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        if self.behaviour == "refuse":
            return "554 5.7.1 Message refused by policy"
        if self.behaviour == "drop":
            server.transport.close()
            return "250 OK"  # never reaches the client: the connection is gone
        message = email.message_from_bytes(envelope.content, policy=default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.received.append(message)
        return "250 OK"


class _AnyPortController(Controller):
    """aiosmtpd 1.4 checks the server by connecting to `port`: with port 0, to the real one."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SMTPServer:
    def __init__(self):
        self.handler = _Handler()
        self.controller = _AnyPortController(self.handler, hostname="127.0.0.1", port=0)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def behave(self, behaviour: str) -> None:
        self.handler.behaviour = behaviour
