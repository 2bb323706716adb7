"""Django discovers the models here; each lives in its DocType module under ``doctype/``."""

from eoffice.doctype.base import NamingSeries  # noqa: F401
from eoffice.doctype.document_register import DocumentRegister  # noqa: F401
from eoffice.doctype.document_type import DocumentType  # noqa: F401
from eoffice.doctype.file import File  # noqa: F401
from eoffice.doctype.organization import Delegation, OrganizationUnit, UnitMember  # noqa: F401
from eoffice.doctype.user import ApiKey, User  # noqa: F401
