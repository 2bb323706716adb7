"""Factories for incoming documents, tasks and the steps of their path (shared by tests)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from eoffice.constants import HandlingRole
from eoffice.doctype.document_type import DocumentType
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.doctype.user import User
from eoffice.workflows.engine import apply_workflow

_numbers = itertools.count(1)

CLERK = "vanthu@gialam.demo"
CHAIRMAN = "chutich@gialam.demo"
TNMT_HEAD = "tp.tnmt@gialam.demo"
TNMT_OFFICER = "cv.tnmt@gialam.demo"
DONGDU_HEAD = "ct.dongdu@gialam.demo"
DONGDU_STAFF = "cb.dongdu@gialam.demo"
BATRANG_STAFF = "cb.batrang@gialam.demo"


def user(email: str) -> User:
    """A fresh copy of a user (no cached roles from an earlier step)."""
    return User.objects.get(email=email)


def incoming(demo, **fields) -> IncomingDocument:
    """An incoming document received by UBND huyện, waiting to be registered ("Chờ tiếp nhận")."""
    n = next(_numbers)
    today = timezone.localdate()
    values = {
        "receiving_unit": demo["UBND"],
        "issuer": "UBND thành phố Hà Nội",
        "document_number": f"{1000 + n}/UBND-TNMT",
        "document_date": today - dt.timedelta(days=2),
        "document_type": DocumentType.objects.get(type_name="Công văn"),
        "summary": f"V/v rà soát hồ sơ đất đai đợt {n}",
        "signer": "Nguyễn Văn A",
        "page_count": 2,
        "owner": CLERK,
    }
    values.update(fields)
    doc = IncomingDocument(**values)
    doc.full_clean()
    doc.save()
    return doc


def rows(*entries) -> list[dict]:
    """Assignee rows in the wire format: ("TNMT" unit name | e-mail, role[, deadline])."""
    out = []
    for entry in entries:
        who, role, *rest = entry
        row = {"handling_role": role}
        if "@" in who:
            row["user"] = who
        else:
            row["unit"] = who
        if rest:
            row["deadline"] = rest[0]
        out.append(row)
    return out


def registered(demo, **fields) -> IncomingDocument:
    """A document the clerk has registered ("Đã vào sổ")."""
    doc = incoming(demo, **fields)
    return apply_workflow(doc, "Vào sổ", user(CLERK))


def waiting_for_direction(demo, **fields) -> IncomingDocument:
    """A registered document submitted to the chairman ("Chờ chỉ đạo")."""
    doc = registered(demo, **fields)
    return apply_workflow(doc, "Trình lãnh đạo", user(CLERK), leader=CHAIRMAN)


def directed(demo, assignees=None, **fields) -> IncomingDocument:
    """A document the chairman directed: TNMT leads, Đông Dư co-operates ("Đã phân công")."""
    doc = waiting_for_direction(demo, **fields)
    assignees = assignees or rows(
        (demo["TNMT"].name, HandlingRole.LEAD), (demo["Đông Dư"].name, HandlingRole.COOPERATE)
    )
    return apply_workflow(
        doc,
        "Phân công",
        user(CHAIRMAN),
        direction="Giao Phòng TNMT chủ trì, xã Đông Dư phối hợp rà soát.",
        assignees=assignees,
    )
