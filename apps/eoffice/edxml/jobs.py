"""Background jobs of the exchange: send what waits, read what arrived in the inbox folder.

- :func:`send_pending` (queue ``short``): each waiting outgoing message is claimed (one
  conditional UPDATE, so two workers never send the same one), built from the database as it
  is now, written to ``outbox/`` and handed to the transport *outside* any transaction (a peer
  answering at once with a status must find our rows unlocked); then marked "Đã gửi", "Chờ
  chuyển" (no route: it waits in the outbox) or, after :data:`MAX_ATTEMPTS`, "Lỗi gửi".
- :func:`process_inbox` (queue ``short``, periodic): every package in ``inbox/`` is received
  (:func:`eoffice.edxml.exchange.receive`) and moved to ``received/``, or to ``rejected/``
  with the reason beside it.

:func:`schedule_send` queues one send after the current transaction commits (once however
many messages the transaction made). ``eoffice edxml send|process`` runs them by hand.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def _kick():
    from eoffice.jobs import enqueue

    enqueue(send_pending, queue="short")


def schedule_send() -> None:
    """Send waiting messages once the current transaction commits (queued once per commit)."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(entry[1] is _kick for entry in conn.run_on_commit):
        return
    transaction.on_commit(_kick)


def _claim(msg) -> bool:
    from eoffice.edxml.models import EdxmlMessage, MessageState

    return bool(
        EdxmlMessage.objects.filter(pk=msg.pk, state=msg.state, modified=msg.modified).update(
            state=MessageState.SENDING, attempts=F("attempts") + 1, modified=timezone.now()
        )
    )


def send_one(msg) -> str:
    """Build and hand over one claimed message; its new state."""
    from eoffice.doctype.outgoing_document.models import DeliveryStatus, OutgoingRecipient
    from eoffice.edxml import transport
    from eoffice.edxml.exchange import build_message
    from eoffice.edxml.models import EdxmlMessage, MessageKind, MessageState

    msg.refresh_from_db()
    try:
        data = build_message(msg)
        file_name = f"{msg.package_id}.edxml"
        path = transport.write_atomic(transport.folder("outbox"), file_name, data)
        delivered = transport.deliver(msg.to_code, file_name, data)
    except Exception as exc:  # noqa: BLE001  (any failure: try again later, say why)
        state = MessageState.FAILED if msg.attempts >= MAX_ATTEMPTS else MessageState.PENDING
        EdxmlMessage.objects.filter(pk=msg.pk).update(
            state=state, error=str(exc)[:2000], modified=timezone.now()
        )
        if state == MessageState.FAILED and msg.recipient_id:
            OutgoingRecipient.objects.filter(
                pk=msg.recipient_id, delivery_status=DeliveryStatus.QUEUED
            ).update(delivery_status=DeliveryStatus.SEND_FAILED, status_note=str(exc)[:2000])
        log.warning("edXML %s to %s not sent: %s", msg.name, msg.to_code, exc)
        return state
    now = timezone.now()
    if delivered:
        sent = transport.folder("sent") / file_name
        os.replace(path, sent)
        state = MessageState.SENT
    else:
        sent, state = path, MessageState.OUTBOX
    EdxmlMessage.objects.filter(pk=msg.pk).update(
        state=state,
        error="",
        sent_on=now if delivered else None,
        package_file=str(Path(sent.parent.name) / sent.name),
        modified=now,
    )
    if msg.kind == MessageKind.DOCUMENT and msg.recipient_id and delivered:
        # Only a row still waiting: a status (01 …) may have arrived before this line ran.
        OutgoingRecipient.objects.filter(
            pk=msg.recipient_id, delivery_status=DeliveryStatus.QUEUED
        ).update(delivery_status=DeliveryStatus.SENT)
    return state


def send_pending(limit: int = 200) -> dict:
    """Send the waiting outgoing messages (see the module); counts by resulting state."""
    from eoffice.edxml.exchange import pending_filter
    from eoffice.edxml.models import EdxmlMessage

    counts: dict[str, int] = {}
    for msg in EdxmlMessage.objects.filter(pending_filter()).order_by("id")[:limit]:
        if not _claim(msg):
            continue
        state = send_one(msg)
        counts[state] = counts.get(state, 0) + 1
    return counts


def process_inbox(limit: int = 500) -> dict:
    """Receive every package waiting in the site's ``inbox/`` folder."""
    from eoffice.edxml import transport
    from eoffice.edxml.exchange import receive
    from eoffice.exceptions import EofficeError

    inbox = transport.folder("inbox")
    counts = {"received": 0, "rejected": 0}
    paths = sorted(
        (p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")),
        key=lambda p: (p.stat().st_mtime, p.name),
    )
    for path in paths[:limit]:
        try:
            with open(path, "rb") as fh:
                data = transport.read_limited(fh, transport.max_package_bytes())
            result = receive(data, archive=False)
        except EofficeError as exc:
            target = transport.folder("rejected") / path.name
            os.replace(path, target)
            target.with_name(target.name + ".error.txt").write_text(exc.message, encoding="utf-8")
            counts["rejected"] += 1
            log.warning("edXML package %s rejected: %s", path.name, exc.message)
            continue
        target = transport.folder("received") / path.name
        os.replace(path, target)
        if result.get("messages"):
            from eoffice.edxml.models import EdxmlMessage

            EdxmlMessage.objects.filter(name__in=result["messages"]).update(
                package_file=f"received/{path.name}"
            )
        counts["received"] += 1
    return counts
