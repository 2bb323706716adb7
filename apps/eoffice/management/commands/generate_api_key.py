"""``eoffice generate_api_key EMAIL``: a new API key and secret for a user (shown once)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Generate an API key and secret for a user; use them as 'Authorization: token KEY:SECRET'."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--label", default="")

    def handle(self, *args, email, label, **options):
        from eoffice.doctype.user import ApiKey, User

        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"no user with e-mail {email}")
        key, secret = ApiKey.generate(user, label=label)
        self.stdout.write(f"api_key: {key.api_key}\napi_secret: {secret}")
