"""What the security layer stores: each person's TOTP device."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TotpDevice(models.Model):
    """A person's authenticator app (RFC 6238). ``confirmed`` once a first code was right;
    only then is a code asked at sign-in. The shared secret is stored encrypted with the
    site's ``encryption_key`` (site_config.json), never in clear."""

    user = models.OneToOneField(
        "eoffice.User", on_delete=models.CASCADE, related_name="totp_device"
    )
    secret_encrypted = models.TextField()
    confirmed = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used_step = models.BigIntegerField(default=0)  # a code is accepted only once

    class Meta:
        app_label = "eoffice"
        db_table = "tab_totp_device"
        verbose_name = _("Thiết bị xác thực hai lớp")
        verbose_name_plural = _("Thiết bị xác thực hai lớp")

    def __str__(self):
        return f"TOTP {self.user_id}"
