"""System checks: misconfiguration is reported at start-up, not as a late crash."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.database)
def site_is_configured(app_configs, **kwargs):
    """A broken or missing site_config.json is an error with the reason, not a traceback."""
    if settings.SITE_ERROR:
        return [checks.Error(settings.SITE_ERROR, id="eoffice.E001")]
    if not settings.SITE_NAME:
        return [
            checks.Warning(
                "No site is selected: create one with 'eoffice new-site NAME' or set EOFFICE_SITE.",
                id="eoffice.W001",
            )
        ]
    return []
