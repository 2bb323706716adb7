"""``/private/files/<name>/<file name>``: attachments, served only to those who may read them."""

from django.urls import path

from eoffice.api import files

urlpatterns = [
    path("<str:name>/<path:filename>", files.private_file, name="private-file"),
    path("<str:name>", files.private_file, name="private-file-bare"),
]
