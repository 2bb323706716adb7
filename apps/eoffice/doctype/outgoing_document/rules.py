"""Person rules of the outgoing workflow (the ``"only"`` key of its transitions).

Each narrows a role to the persons the document names; the description completes the refusal
"Chỉ … được thực hiện «…»". Roles count with delegations (``eoffice.permissions``).
"""

from __future__ import annotations

from eoffice.constants import Role
from eoffice.doctype.assignment import holds, leads, member_of
from eoffice.workflows.rules import person_rule


def _agency_id(doc):
    agency = doc.agency() if hasattr(doc, "agency") else None
    return agency.pk if agency is not None else None


@person_rule("drafting_unit_member", "cán bộ của đơn vị soạn thảo")
def _rule_drafting_unit_member(doc, user) -> bool:
    unit_id = getattr(doc, "drafting_unit_id", None)
    return bool(unit_id) and (member_of(user, unit_id) or doc.owner == user.name)


@person_rule("drafting_unit_head", "lãnh đạo đơn vị soạn thảo")
def _rule_drafting_unit_head(doc, user) -> bool:
    unit_id = getattr(doc, "drafting_unit_id", None)
    return bool(unit_id) and leads(user, unit_id)


@person_rule("issuing_clerk", "văn thư của cơ quan ban hành")
def _rule_issuing_clerk(doc, user) -> bool:
    agency_id = _agency_id(doc)
    return bool(agency_id) and holds(user, agency_id, Role.CLERK)


@person_rule("issuing_leader", "lãnh đạo cơ quan ban hành")
def _rule_issuing_leader(doc, user) -> bool:
    agency_id = _agency_id(doc)
    return bool(agency_id) and leads(user, agency_id)


@person_rule("issuing_signer", "lãnh đạo cơ quan ban hành được trình ký")
def _rule_issuing_signer(doc, user) -> bool:
    agency_id = _agency_id(doc)
    if not agency_id or not leads(user, agency_id):
        return False
    signer_id = getattr(doc, "signer_id", None)
    return signer_id in (None, user.pk)
