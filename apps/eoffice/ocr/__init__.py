"""Reading what was uploaded: text extraction, OCR and field extraction, as small steps.

The intake chain, after paperless-ngx's consumer, one module per step, each usable alone:

1. :mod:`eoffice.ocr.preflight` looks at the stored file (present, intact, its real type, its
   pages) and returns a :class:`~eoffice.ocr.preflight.Plan`: which pages have a text layer
   and which need OCR. Bad input stops here with a Vietnamese message.
2. :mod:`eoffice.ocr.parse` gets the text of one page: pdfplumber for a text layer, the real
   ``tesseract -l vie`` for a scan (the page image handed over as it is, or rendered once at
   300 dpi), plus a text-only PDF layer from the same Tesseract run.
3. :mod:`eoffice.ocr.fields` reads the first page for the clerk's form: issuing agency, số ký
   hiệu, date, document type, trích yếu, urgency and secrecy stamps.
4. :mod:`eoffice.ocr.searchable` grafts the text layers onto the original pages and makes a
   searchable PDF/A with OCRmyPDF (no Ghostscript needed), stored by SHA-256 beside the
   original.

:mod:`eoffice.ocr.pipeline` runs the chain for a "File"; :mod:`eoffice.jobs.ocr` runs it on
the ``ocr`` queue, one job per page for a scanned batch. Page results are kept by the file's
content hash (:mod:`eoffice.ocr.store`), so a retried or repeated job reuses finished pages
and always combines them to the same text. See docs/ocr.md.
"""

from eoffice.ocr.errors import OcrEngineError, OcrError, OcrInputError

__all__ = ["OcrEngineError", "OcrError", "OcrInputError"]
