"""Handing a message to the SMTP server named in the settings (`mail.host`, `mail.port`).

One connection per message, so one owner's refused or lost message says
nothing about the others'. `send` returns only when the server accepted the
message (its 250 after DATA); anything else is a MailError saying what the
server did, so callers mark entries as sent only after `send` returned.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

TIMEOUT = 30.0  # seconds for connecting and for each reply


class MailError(Exception):
    """The server refused the message, or the connection failed or was lost."""


def send(host: str, port: int, message: EmailMessage, timeout: float = TIMEOUT) -> None:
    where = f"{host}:{port}"
    to = message["To"]
    try:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"could not connect to the mail server {where}: {exc}") from None
    try:
        refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        raise MailError(f"the mail server {where} refused {to}: {code} {_text(reply)}") from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(
            f"the mail server {where} refused the message to {to}: "
            f"{exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise MailError(
            f"the mail server {where} closed the connection before accepting the message to "
            f"{to} ({exc or 'no reason given'})"
        ) from None
    except smtplib.SMTPException as exc:
        raise MailError(
            f"the mail server {where} did not take the message to {to}: {exc}"
        ) from None
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    if refused:
        raise MailError(f"the mail server {where} refused {', '.join(refused)}")


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
