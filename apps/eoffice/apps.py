from django.apps import AppConfig


class EofficeConfig(AppConfig):
    """The eOffice app: DocTypes, workflows, API and desk."""

    name = "eoffice"
    verbose_name = "eOffice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from eoffice import checks, signals  # noqa: F401  (register checks and handlers)
