"""Signal handlers that keep derived data in step with the documents.

Imported once by ``EofficeConfig.ready``.
"""

from eoffice.search import signals as search_signals

# The search index follows every change of a searchable document, its assignments and files.
search_signals.connect()
