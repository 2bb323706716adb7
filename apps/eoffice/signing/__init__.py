"""Digital signatures (ký số): signing outgoing PDFs and verifying incoming ones.

The hook API, for the outgoing document's workflow and the desk (all over PDF bytes; each
returns new bytes as an incremental update, so earlier signatures stay valid):

- "Ký": ``service.sign_as_person(pdf, user, pin)`` → ``Signed(content, field_name, place, key)``
- "Cấp số": ``service.stamp_number(pdf, symbol, issue_date)`` → bytes
- "Phát hành": ``service.sign_as_agency(pdf, unit, pin)`` and, per attachment,
  ``service.sign_attachment(pdf, unit, symbol, pin)``
- before signing: ``service.preview(pdf, user=…, unit=…, kind="person"|"agency"|"attachment")``
  → PNG
- on upload: ``eoffice.jobs.verify.enqueue_for(file)``; results on ``file.signature_check``;
  ``panel(file)`` gives the desk's signature panel.

Keys: :mod:`eoffice.signing.keys` (PKCS#12 sealed per site, PKCS#11 tokens);
verification: :mod:`eoffice.signing.verification`. See docs/signing.md.
"""

from __future__ import annotations


def panel(file) -> dict:
    """The signature panel of a stored file: status, reason, and each signature's signer,
    organisation, time (+07:00) and status ("Hợp lệ" / "Không hợp lệ" with the reason)."""
    from eoffice.signing.models import CheckStatus, SignatureCheck

    check = SignatureCheck.objects.filter(file=file).first()
    if check is None:
        status = CheckStatus.PENDING if file.mime_type == "application/pdf" else ""
        return {"file": file.name, "status": status, "reason": "", "signatures": []}
    return {
        "file": file.name,
        "status": check.status,
        "reason": check.reason,
        "modified_after_signing": check.modified_after_signing,
        "checked_on": check.checked_on.isoformat() if check.checked_on else None,
        "signatures": [
            {
                "signer": s.get("signer", ""),
                "organization": s.get("organization", ""),
                "signed_at": s.get("signed_at"),
                "status": CheckStatus.VALID if s.get("valid") else CheckStatus.INVALID,
                "reason": s.get("reason", ""),
                "revocation": s.get("revocation", ""),
                "field": s.get("field", ""),
            }
            for s in check.signatures
        ],
    }
