"""The admin's import pages: upload → preview (every row, every error) → confirm.

Thin: parse the request, call intake.services, render. Mounted by intake.admin under the
meetings' intake page, so the admin's login and CSRF checks apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from intake.forms import AssignmentUploadForm, ConfirmForm, UploadForm
from intake.services.assignment_import import import_assignments, preview_assignment_import
from intake.services.proposal_import import import_proposals, preview_proposal_import
from intake.uploads import forget_upload, keep_upload, read_upload
from intake.sections import similar_proposals_section
from intake.suggestions import suggest_lead_agencies
from proposals.models import Meeting, Proposal
from proposals.workflow import merge_proposal
from tracker.errors import WorkflowError

# Suggestions are shown while a proposal is reviewed and before it is assigned.
SUGGEST_FOR = (Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED)
# Past this many rows the preview lists the bad ones and the first good ones only.
PREVIEW_ROWS_SHOWN = 300


@dataclass(frozen=True)
class ImportKind:
    title: str
    permission: str
    template: str
    preview: Callable
    run: Callable
    done_message: Callable
    upload_form: type = UploadForm
    # The upload form's extra fields → the services' keyword arguments (kept in the signed token).
    options: Callable[[dict], dict] = lambda cleaned: {}
    parse_options: Callable[[dict], dict] = lambda kept: {}


PROPOSALS = ImportKind(
    title="导入提案汇总表",
    permission="proposals.add_proposal",
    template="admin/intake/proposal_preview.html",
    preview=preview_proposal_import,
    run=import_proposals,
    done_message=lambda r: (f"已登记 {r.created} 件，新建委员/代表 {r.members_created} 位；"
                            f"已导入跳过 {r.unchanged} 行；未导入的问题行 {r.skipped_bad} 行"),
)
ASSIGNMENTS = ImportKind(
    title="导入交办清单",
    permission="proposals.change_proposal",
    template="admin/intake/assignment_preview.html",
    preview=preview_assignment_import,
    run=import_assignments,
    done_message=lambda r: (f"已交办 {r.assigned} 件（交办记录 {r.assignments} 条）；"
                            f"已按此交办跳过 {r.unchanged} 行；未导入的问题行 {r.skipped_bad} 行"),
    upload_form=AssignmentUploadForm,
    options=lambda cleaned: {"on": cleaned["on"].isoformat()},
    parse_options=lambda kept: {"on": dt.date.fromisoformat(kept["on"])},
)
IMPORT_KINDS = {"proposals": PROPOSALS, "assignments": ASSIGNMENTS}


def import_view(request, meeting_id: int, kind: str, admin_context: dict):
    spec = IMPORT_KINDS[kind]
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    context = {**admin_context, "meeting": meeting, "title": f"{spec.title}：{meeting.name}", "kind": kind}
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, meeting, spec, context)
    form = spec.upload_form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        kept = spec.options(form.cleaned_data)
        try:
            preview = spec.preview(meeting=meeting, name=upload.name, data=data, **spec.parse_options(kept))
        except WorkflowError as error:
            form.add_error("file", error.zh)
        else:
            token = keep_upload(name=upload.name, data=data, meeting_id=meeting.pk, kind=kind, options=kept)
            return _render_preview(request, spec, context, preview, ConfirmForm(initial={"token": token}), upload.name)
    return TemplateResponse(request, "admin/intake/upload.html", {**context, "form": form})


def _render_preview(request, spec, context, preview, confirm_form, file_name):
    bad = preview.bad_rows
    good = [row for row in preview.rows if not row.problems]
    listed_good = {id(row) for row in good[:PREVIEW_ROWS_SHOWN]}
    shown = [row for row in preview.rows if row.problems or id(row) in listed_good]
    return TemplateResponse(request, spec.template, {
        **context, "preview": preview, "bad_rows": bad, "shown_rows": shown, "hidden_rows": len(good) - len(listed_good),
        "confirm_form": confirm_form, "file_name": file_name,
        "can_import": any(row.outcome == "new" for row in good),
    })


def _confirm(request, meeting, spec, context):
    form = ConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else None
    data = read_upload(token) if token and token["meeting"] == meeting.pk and token["kind"] == context["kind"] else None
    if data is None:
        messages.error(request, "上传已失效，请重新上传文件")
        return HttpResponseRedirect(request.path)
    options = spec.parse_options(token["options"])
    try:
        result = spec.run(meeting=meeting, name=token["name"], data=data, by=request.user,
                          valid_rows_only=form.cleaned_data["valid_rows_only"], **options)
    except WorkflowError as error:
        messages.error(request, error.zh)
        preview = spec.preview(meeting=meeting, name=token["name"], data=data, **options)
        return _render_preview(request, spec, context, preview, ConfirmForm(initial={"token": request.POST["token"]}),
                               token["name"])
    forget_upload(token)
    messages.success(request, spec.done_message(result))
    return HttpResponseRedirect(reverse("admin:proposals_proposal_changelist") + f"?meeting__id__exact={meeting.pk}")


# --- similar proposals at review --------------------------------------------------------------


def similar_page(request, proposal_id: int, admin_context: dict):
    """The similar-proposals section on a page of its own, linked from the proposal's page."""
    if not request.user.has_perm("proposals.change_proposal"):
        raise PermissionDenied
    proposal = get_object_or_404(Proposal.objects.select_related("meeting"), pk=proposal_id)
    return TemplateResponse(request, "admin/intake/similar_page.html", {
        **admin_context, "title": f"相似提案：{proposal.number_label}", "proposal": proposal,
        "section": similar_proposals_section(request, proposal),
        "suggestions": suggest_lead_agencies(proposal) if proposal.status in SUGGEST_FOR else [],
    })


@require_POST
def merge_view(request, proposal_id: int):
    """并案 from the similar list: this proposal into the one chosen, through the workflow."""
    if not request.user.has_perm("proposals.change_proposal"):
        raise PermissionDenied
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    into = Proposal.objects.filter(pk=request.POST.get("into", "")).first() if request.POST.get("into", "").isdigit() else None
    if into is None:
        messages.error(request, "请选择要并入的提案")
        return HttpResponseRedirect(reverse("admin:intake_similar", args=[proposal.pk]))
    try:
        merge_proposal(proposal=proposal, into=into, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.zh)
        return HttpResponseRedirect(reverse("admin:intake_similar", args=[proposal.pk]))
    messages.success(request, f"第{proposal.number}号已并入第{into.number}号")
    return HttpResponseRedirect(reverse("admin:proposals_proposal_change", args=[into.pk]))
