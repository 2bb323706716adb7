"""The demo's keys: ``eoffice new-site --demo`` creates a demo CA, trusts its root, and gives
the chairman (chutich@gialam.demo, PIN :data:`DEMO_PIN`) and the agency UBND huyện Gia Lâm
(no PIN: the clerk issues) a software key each, so the demo path signs real signatures."""

from __future__ import annotations

from django.db import transaction

from eoffice.signing import appearance, ca, keys
from eoffice.signing.models import SigningKey, TrustedRoot

DEMO_PIN = "123456"
CHAIRMAN = "chutich@gialam.demo"


def trust_root(cert, title: str) -> TrustedRoot:
    """Add a root certificate to the site's trusted roots (once per fingerprint)."""
    from cryptography.hazmat.primitives import serialization

    root, _created = TrustedRoot.objects.get_or_create(
        fingerprint=ca.fingerprint(cert),
        defaults={
            "title": title,
            "certificate": cert.public_bytes(serialization.Encoding.PEM).decode(),
            "subject": ca.common_name(cert)[:255],
            "not_after": cert.not_valid_after_utc,
        },
    )
    return root


@transaction.atomic
def setup(stdout=None) -> dict:
    """Create the demo CA and keys (skipped when the chairman already has a key)."""
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.doctype.user import User

    chairman = User.objects.filter(email=CHAIRMAN).first()
    agency = OrganizationUnit.objects.filter(short_name="UBND", parent__isnull=True).first()
    if chairman is None or agency is None:
        return {}
    if SigningKey.objects.filter(user=chairman).exists():
        return {}
    demo = ca.create_demo_ca("eOffice Gia Lâm Demo")
    trust_root(demo.root.cert, "eOffice Gia Lâm Demo Root CA (chỉ dùng thử)")
    person = ca.issue(
        demo,
        chairman.full_name,
        organization=agency.unit_name,
        email=chairman.email,
        locality="Gia Lâm",
    )
    seal_holder = ca.issue(
        demo, agency.unit_name, organization=agency.unit_name, locality="Gia Lâm"
    )
    person_key = keys.add_pkcs12_key(
        person.pkcs12(),
        title=f"Chữ ký số {chairman.full_name} (demo)",
        user=chairman,
        pin=DEMO_PIN,
        signature_image=appearance.handwriting_image(chairman.full_name),
    )
    agency_key = keys.add_pkcs12_key(
        seal_holder.pkcs12(),
        title=f"Chữ ký số {agency.unit_name} (demo)",
        unit=agency,
        signature_image=appearance.seal_image(agency.unit_name, "Hà Nội"),
    )
    if stdout is not None:
        stdout.write(
            f"Demo signing keys: {chairman.email} (PIN {DEMO_PIN}), {agency.unit_name} (no PIN)\n"
        )
    return {"ca": demo, "person": person_key, "agency": agency_key}
