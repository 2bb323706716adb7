"""``eoffice revoke_api_key KEY``: a revoked key no longer authenticates."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Revoke an API key."

    def add_arguments(self, parser):
        parser.add_argument("api_key")

    def handle(self, *args, api_key, **options):
        from eoffice.doctype.user import ApiKey

        key = ApiKey.objects.filter(api_key=api_key, revoked_at=None).first()
        if key is None:
            raise CommandError(f"no active API key {api_key}")
        key.revoke()
        self.stdout.write(f"API key {api_key} revoked.")
