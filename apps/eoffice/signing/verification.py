"""Verifying every signature of a PDF against the site's trusted roots.

For each signature: integrity (the signed bytes are unchanged), coverage and what changed
after it (pyHanko's difference analysis: form filling and new signatures are allowed, any
other change means "modified after signing"), the certificate chain up to a "Trusted Root",
the certificate's validity at the signing time, and revocation where it can be reached. This
install has no network to the CAs' CRL/OCSP servers, so revocation is "soft-fail": a missing
answer is reported ("không kiểm tra được thu hồi"), not counted as a failure.

:func:`verify_pdf` returns plain data (stored on "Signature Check" and sent to the desk):
``{"status", "reason", "modified_after_signing", "signatures": [...]}``.
"""

from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _

from eoffice.signing.appearance import vn_time
from eoffice.signing.models import CheckStatus
from eoffice.signing.sync import outside_event_loop

log = logging.getLogger(__name__)

REVOCATION_UNCHECKED = "không kiểm tra được thu hồi"


def trusted_roots(extra_pem: list[str] | None = None):
    """The site's enabled trusted roots as asn1crypto certificates (plus ``extra_pem``)."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509

    from eoffice.signing.models import TrustedRoot

    texts = list(TrustedRoot.objects.filter(enabled=True).values_list("certificate", flat=True))
    texts += extra_pem or []
    roots = []
    for text in texts:
        data = text.encode()
        if asn1_pem.detect(data):
            for _t, _h, der in asn1_pem.unarmor(data, multiple=True):
                roots.append(x509.Certificate.load(der))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def _validation_context(roots):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


_SUBINDICATIONS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "chứng thư số không thuộc chuỗi của chứng thư gốc tin cậy nào",
    "EXPIRED": "chứng thư số đã hết hạn",
    "NOT_YET_VALID": "chứng thư số chưa có hiệu lực",
    "REVOKED": "chứng thư số đã bị thu hồi",
    "OUT_OF_BOUNDS_NO_POE": "chứng thư số hết hạn hoặc bị thu hồi trước thời điểm ký",
    "OUT_OF_BOUNDS_NOT_REVOKED": "chứng thư số hết hạn trước thời điểm kiểm tra",
    "CHAIN_CONSTRAINTS_FAILURE": "chuỗi chứng thư số vi phạm ràng buộc",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "thuật toán mật mã không còn được chấp nhận",
    "TRY_LATER": "chưa lấy được thông tin thu hồi",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "thông tin thu hồi không hợp lệ",
    "SIG_CONSTRAINTS_FAILURE": "chữ ký vi phạm ràng buộc",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "lỗi chuỗi chứng thư số",
}


def _trust_reason(status) -> str:
    indic = getattr(status, "trust_problem_indic", None)
    if indic is not None:
        key = getattr(indic, "name", str(indic))
        return _SUBINDICATIONS.get(
            key, _("chứng thư số không được tin cậy ({code})").format(code=key)
        )
    return _("chứng thư số không được tin cậy")


def _name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # noqa: BLE001
        return ""


def verify_signature(embedded, vc) -> dict:
    """One signature: ``{"field", "signer", "organization", "signed_at", "valid", "reason", …}``."""
    from pyhanko.sign.validation import validate_pdf_signature

    entry = {
        "field": embedded.field_name,
        "signer": "",
        "organization": "",
        "email": "",
        "signed_at": None,
        "valid": False,
        "intact": False,
        "trusted": False,
        "modified_after_signing": False,
        "covers_whole_file": False,
        "timestamped": False,
        "revocation": REVOCATION_UNCHECKED,
        "reason": "",
    }
    try:
        status = outside_event_loop(validate_pdf_signature, embedded, vc)
    except Exception as error:  # noqa: BLE001  (a signature pyHanko cannot parse is invalid)
        log.info("signature %s could not be validated: %s", embedded.field_name, error)
        entry["reason"] = _("không đọc được chữ ký ({error})").format(error=error)
        return entry
    cert = status.signing_cert
    subject = cert.subject.native
    entry.update(
        signer=subject.get("common_name", ""),
        organization=subject.get("organization_name", "") or "",
        email=subject.get("email_address", "") or "",
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        timestamped=status.timestamp_validity is not None,
    )
    moment = status.signer_reported_dt
    if status.timestamp_validity is not None:
        moment = status.timestamp_validity.timestamp
    entry["signed_at"] = vn_time(moment) if moment else None
    reasons = []
    if not (status.intact and status.valid):
        reasons.append(_("nội dung đã bị thay đổi sau khi ký (chữ ký không khớp)"))
    modified = not status.docmdp_ok or (
        status.modification_level is not None and status.modification_level.name == "OTHER"
    )
    if status.intact and modified:
        entry["modified_after_signing"] = True
        reasons.append(_("văn bản đã bị sửa đổi sau khi ký"))
    if not status.trusted:
        reasons.append(_trust_reason(status))
    if status.revoked:
        entry["revocation"] = _("đã bị thu hồi")
    entry["valid"] = bool(status.bottom_line) and not modified and not reasons
    entry["reason"] = "; ".join(reasons)
    return entry


def verify_pdf(pdf: bytes, roots=None) -> dict:
    """Verify every signature of ``pdf`` (bytes) against ``roots`` (default: the site's)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as error:  # noqa: BLE001
        return {
            "status": CheckStatus.INVALID.value,
            "reason": _("Không đọc được tệp PDF để kiểm tra chữ ký ({error}).").format(error=error),
            "modified_after_signing": False,
            "signatures": [],
        }
    if not embedded:
        return {
            "status": CheckStatus.UNSIGNED.value,
            "reason": "",
            "modified_after_signing": False,
            "signatures": [],
        }
    vc = _validation_context(trusted_roots() if roots is None else roots)
    results = [verify_signature(sig, vc) for sig in embedded]
    bad = [r for r in results if not r["valid"]]
    modified = any(r["modified_after_signing"] or not r["intact"] for r in results)
    if bad:
        reason = "; ".join(
            _("Chữ ký của {signer}: {reason}").format(
                signer=r["signer"] or r["field"], reason=r["reason"]
            )
            for r in bad
        )
        status = CheckStatus.INVALID.value
    else:
        reason, status = "", CheckStatus.VALID.value
    return {
        "status": status,
        "reason": reason,
        "modified_after_signing": modified,
        "signatures": results,
    }
