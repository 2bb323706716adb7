"""Verifying the signatures of an uploaded PDF, in the background, after the upload commits.

:func:`enqueue_for` (called by the upload inside its transaction) marks the File "Chờ kiểm
tra" and queues :func:`run` on the ``default`` queue once the row is committed; registration
never waits for it and never fails because of it. :func:`run` can run twice with the same
result (the "Signature Check" row of the file is replaced).
"""

from __future__ import annotations

import logging

from django.utils import timezone

from eoffice.jobs import enqueue

log = logging.getLogger(__name__)

PDF = "application/pdf"


def job_id(file_name: str) -> str:
    from eoffice.jobs import site_job_id

    return site_job_id(f"verify-{file_name}")


def enqueue_for(file) -> None:
    """Queue verification of a stored PDF (other kinds of file have no signatures to check)."""
    if file.mime_type != PDF:
        return
    from eoffice.signing.models import CheckStatus, SignatureCheck

    SignatureCheck.objects.update_or_create(
        file=file,
        defaults={"status": CheckStatus.PENDING, "content_hash": file.content_hash},
    )
    enqueue(run, file.name, job_id=job_id(file.name))


def run(file_name: str) -> str | None:
    """Verify the file's signatures and store the result; returns the status."""
    from eoffice.doctype.file import File
    from eoffice.signing import audit
    from eoffice.signing.models import CheckStatus, SignatureCheck
    from eoffice.signing.verification import verify_pdf

    file = File.objects.filter(name=file_name).first()
    if file is None:
        return None
    try:
        with file.open() as fh:
            result = verify_pdf(fh.read())
    except Exception as error:  # noqa: BLE001  (recorded; the document is not blocked)
        log.exception("verifying %s failed", file_name)
        result = {
            "status": CheckStatus.FAILED.value,
            "reason": f"Lỗi khi kiểm tra chữ ký số: {error}",
            "modified_after_signing": False,
            "signatures": [],
        }
    SignatureCheck.objects.update_or_create(
        file=file,
        defaults={
            "content_hash": file.content_hash,
            "status": result["status"],
            "reason": result["reason"],
            "modified_after_signing": result["modified_after_signing"],
            "signatures": result["signatures"],
            "checked_on": timezone.now(),
        },
    )
    signers = ", ".join(s["signer"] for s in result["signatures"] if s.get("signer"))
    detail = f"{file.file_name}: {result['status']}"
    if signers:
        detail += f" ({signers})"
    if result["reason"]:
        detail += f" — {result['reason']}"
    audit.record(audit.VERIFIED, None, file.attached_to_doctype, file.attached_to_name, detail)
    return result["status"]
