"""Django discovers the models here; each lives in its DocType module under ``doctype/``."""

from eoffice.audit.models import AuditLog  # noqa: F401
from eoffice.doctype.assignment import Assignment, ExtensionRequest  # noqa: F401
from eoffice.doctype.base import NamingSeries  # noqa: F401
from eoffice.doctype.calendar_exception import CalendarException  # noqa: F401
from eoffice.doctype.comment import Comment  # noqa: F401
from eoffice.doctype.deadline_reminder import DeadlineReminder  # noqa: F401
from eoffice.doctype.deadline_rule import DeadlineRule, DeadlineSettings  # noqa: F401
from eoffice.doctype.document_register import DocumentRegister  # noqa: F401
from eoffice.doctype.document_type import DocumentType  # noqa: F401
from eoffice.doctype.file import File  # noqa: F401
from eoffice.doctype.incoming_document import IncomingDocument, IncomingDocumentAssignee  # noqa: F401
from eoffice.doctype.notification import NotificationLog, NotificationPreference  # noqa: F401
from eoffice.doctype.organization import Delegation, OrganizationUnit, UnitMember  # noqa: F401
from eoffice.doctype.outgoing_document import (  # noqa: F401
    CancelledNumber,
    DraftVersion,
    OutgoingDocument,
    OutgoingRecipient,
    RecipientGroup,
    RecipientGroupUnit,
    distribution,
)
from eoffice.doctype.routing_rule import RoutingLog, RoutingRule  # noqa: F401
from eoffice.doctype.task import Task, TaskAssignee  # noqa: F401
from eoffice.doctype.user import ApiKey, User  # noqa: F401
from eoffice.doctype.workflow_log import WorkflowLog  # noqa: F401
from eoffice.edxml.models import EdxmlMessage  # noqa: F401
from eoffice.security.models import TotpDevice  # noqa: F401
from eoffice.signing.models import SignatureCheck, SigningKey, TrustedRoot  # noqa: F401
from eoffice.workflows import checks as _workflow_checks  # noqa: F401  (registers the check)
