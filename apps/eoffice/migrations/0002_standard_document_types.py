"""The document types of Decree 30 (DOMAIN.md), as data that an administrator edits."""

from django.db import migrations


def create_types(apps, schema_editor):
    from eoffice.doctype.document_type import ensure_standard_document_types

    ensure_standard_document_types(apps.get_model("eoffice", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("eoffice", "0001_initial")]
    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
