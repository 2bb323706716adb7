"""``eoffice [--site NAME] backup [--dir DIR]``: database dump + files + checksum manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eoffice.backup import BackupError, backup_site


class Command(BaseCommand):
    help = "Back up the site: a database dump, its files and a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="where to put the backup (default: sites/<site>/backups)")

    def handle(self, *args, dir=None, **options):
        try:
            folder = backup_site(settings.SITE_NAME, Path(dir) if dir else None)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(str(folder))
