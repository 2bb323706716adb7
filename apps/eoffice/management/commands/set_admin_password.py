"""``eoffice set_admin_password PASSWORD``: create or reset the site's Administrator."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the Administrator account (administrator@localhost) or reset its password."

    def add_arguments(self, parser):
        parser.add_argument("password")

    def handle(self, *args, password, **options):
        from eoffice.doctype.user import User

        user = User.objects.filter(email="administrator@localhost").first()
        if user is None:
            User.objects.create_superuser(
                "administrator@localhost", password, full_name="Administrator"
            )
        else:
            user.set_password(password)
            user.save()
        self.stdout.write("Administrator password set.")
