from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EofficeConfig(AppConfig):
    """The eOffice app: DocTypes, workflows, API and desk."""

    name = "eoffice"
    verbose_name = _("Quản lý văn bản")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from eoffice import checks, signals  # noqa: F401  (register checks and handlers)
