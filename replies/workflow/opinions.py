"""会办意见: an assisting agency's written input to the lead agency, drafted and sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from proposals import transitions
from proposals import workflow as proposal_workflow
from proposals.models import Assignment
from proposals.transitions import today
from replies.models import (
    AssistingOpinion,
)
from replies.workflow._base import OPINION_FIELDS, _record, _require_version
from replies.workflow.numbering import normalize_document_number
from tracker.errors import WorkflowError


def _guard_new_opinion(assignment: Assignment, by) -> Assignment:
    assignment = transitions.lock_assignment(assignment)
    transitions.require_agency_staff(by, assignment.agency)
    if assignment.role != Assignment.Role.ASSISTING:
        raise WorkflowError("not_assisting", "只有会办单位提交会办意见", "Only an assisting agency writes an opinion.")
    if assignment.state == Assignment.State.PENDING:
        raise WorkflowError("not_signed_for", "请先签收该交办", "Sign for the assignment first.")
    transitions.require_assignment_step(assignment, "draft")
    if AssistingOpinion.objects.filter(assignment=assignment).exists():
        raise WorkflowError("opinion_exists", "已有会办意见，请在原意见上修改", "An opinion exists; edit that one.")
    return assignment


def _guard_opinion_edit(opinion: AssistingOpinion, by, version: int | None) -> AssistingOpinion:
    opinion = (
        AssistingOpinion.objects.select_for_update(of=("self",))
        .select_related("assignment__proposal", "assignment__agency")
        .get(pk=opinion.pk)
    )
    transitions.require_agency_staff(by, opinion.assignment.agency)
    if opinion.state != AssistingOpinion.State.DRAFT:
        raise WorkflowError("opinion_sent", "会办意见已提交，不能修改", "The opinion was sent and can no longer change.")
    _require_version(opinion, version, "会办意见", "opinion")
    return opinion


def _clean_opinion(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(OPINION_FIELDS)
    if unknown:
        raise TypeError(f"not opinion fields: {sorted(unknown)}")
    cleaned = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
    if "body" in cleaned and not cleaned["body"]:
        raise WorkflowError("body_required", "请填写会办意见", "The opinion text is required.", field="body")
    if "document_number" in cleaned:
        cleaned["document_number"] = normalize_document_number(cleaned["document_number"])[0]
    return cleaned


@transaction.atomic
def validate_opinion_draft(
    *, by, values: dict[str, Any], assignment: Assignment | None = None, opinion: AssistingOpinion | None = None,
    version: int | None = None,
) -> None:
    """The checks of draft_assisting_opinion / save_opinion_draft, for the admin's form validation."""
    if opinion is not None:
        _guard_opinion_edit(opinion, by, version)
    else:
        _guard_new_opinion(assignment, by)
    _clean_opinion(values)


@transaction.atomic
def draft_assisting_opinion(
    *, assignment: Assignment, by, body: str, title: str = "", document_number: str = "",
    contact_person: str = "", contact_phone: str = "", signed_on: dt.date | None = None,
) -> AssistingOpinion:
    """起草会办意见: the assisting agency's written input to the lead agency."""
    assignment = _guard_new_opinion(assignment, by)
    values = _clean_opinion(dict(body=body, title=title, document_number=document_number,
                                 contact_person=contact_person, contact_phone=contact_phone, signed_on=signed_on))
    opinion = AssistingOpinion.objects.create(assignment=assignment, **values)
    _record(assignment, by, to_state=AssistingOpinion.State.DRAFT, note=f"起草会办意见{opinion.title or ''}")
    return opinion


@transaction.atomic
def save_opinion_draft(*, opinion: AssistingOpinion, by, version: int, **changes: Any) -> AssistingOpinion:
    """Save edits to an opinion draft made from `version`; a stale version is refused."""
    opinion = _guard_opinion_edit(opinion, by, version)
    values = _clean_opinion(changes)
    changed = [name for name, value in values.items() if getattr(opinion, name) != value]
    if not changed:
        return opinion
    for name in changed:
        setattr(opinion, name, values[name])
    opinion.version += 1
    opinion.save(update_fields=[*changed, "version"])
    _record(opinion.assignment, by, note=f"修改会办意见（第{opinion.version}版）")
    return opinion


@transaction.atomic
def send_assisting_opinion(
    *, opinion: AssistingOpinion, by, version: int | None = None, on: dt.date | None = None,
) -> AssistingOpinion:
    """提交会办意见: the opinion goes to the lead agency, whose reply form shows it."""
    opinion = _guard_opinion_edit(opinion, by, version)
    opinion.state, opinion.sent_at = AssistingOpinion.State.SENT, timezone.now()
    opinion.signed_on = opinion.signed_on or on or today()
    opinion.version += 1
    opinion.save(update_fields=["state", "sent_at", "signed_on", "version"])
    number = f"({opinion.document_number})" if opinion.document_number else ""
    proposal_workflow.mark_opinion_sent(
        assignment=opinion.assignment, by=by, on=on or today(),
        note=f"会办意见{opinion.title}{number}已提交主办单位",
    )
    return opinion
