"""Why reading a file failed, in words the clerk reads (stored in ``File.ocr_error``)."""

from __future__ import annotations

from eoffice.exceptions import EofficeError, ValidationError


class OcrError(EofficeError):
    """Base of every failure of the intake chain; ``message`` is shown to the clerk."""


class OcrInputError(OcrError, ValidationError):
    """The file itself cannot be read (corrupt, empty, unsupported, encrypted, too large).

    Running again gives the same answer; the job still retries a few times, since a file
    store on a network share can be briefly unreadable.
    """


class OcrEngineError(OcrError):
    """Tesseract or a PDF tool failed or ran out of time on a readable file."""
