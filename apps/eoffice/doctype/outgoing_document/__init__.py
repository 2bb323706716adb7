"""DocType "Outgoing Document" (văn bản đi) and internal directives.

DOMAIN.md's outgoing table is ``workflows/outgoing_document.json``: Dự thảo → Chờ duyệt →
Chờ kiểm tra thể thức → Chờ ký → Đã ký → Đã cấp số → Đã phát hành, the returns ("Trả lại"
with a reason), "Hủy số" and "Thu hồi". What the file names lives here:

- :mod:`.models` — the document, its ``recipients`` rows, draft versions ("Outgoing
  Document Version"), cancelled numbers ("Cancelled Number"), recipient groups, who reads;
- :mod:`.numbering` — "Cấp số": the series, the number and the symbol; "Hủy số";
- :mod:`.distribution` — "Phát hành" to units of this site (their own Incoming Document, at
  once, in one transaction) and to other agencies (edXML), following each copy, "Thu hồi";
- :mod:`.drafting` — versions of the draft's file, a reply drafted from an incoming
  document, the signature, each person's queue;
- :mod:`.rules` — the person rules of the workflow file.

See docs/outgoing.md.
"""

from eoffice.doctype.outgoing_document import rules  # noqa: F401  (registers person rules)
from eoffice.doctype.outgoing_document.models import (  # noqa: F401
    DOCTYPE,
    CancelledNumber,
    DeliveryStatus,
    DraftVersion,
    OutgoingDocument,
    OutgoingRecipient,
    RecipientGroup,
    RecipientGroupUnit,
)
