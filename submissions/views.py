"""The member's pages of the front door (/my/submissions/): draft, invite, answer, submit, withdraw.

Thin: each view reads its form, calls submissions.services and shows the refusal's Chinese. A draft
that is not the caller's (nor one they are invited to) answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.views import member_required
from proposals import access as proposal_access
from proposals.models import Member
from submissions import access, documents, files, rules, selectors, services
from submissions.forms import AttachmentForm, DraftForm, InviteForm, MeetingChoiceForm
from submissions.models import Attachment, CoSigner, Draft
from submissions.similar import similar_for
from tracker.errors import WorkflowError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _own(request, pk: int) -> Draft:
    return get_object_or_404(access.drafts_of_author(request.user).select_related("meeting", "author"), pk=pk)


@require_GET
@member_required
def draft_list(request):
    """网上提交: my drafts and submissions, and the invitations to co-sign waiting for my answer."""
    drafts = list(selectors.my_drafts(request.user)[:100])
    for row in drafts:
        row["state_label"] = Draft.State(row["state"]).label
        row["kind_label"] = Draft.Kind(row["kind"]).label
        row["status_label"] = selectors.status_label(row["status"])
    invitations = list(selectors.invitations_to(request.user)[:100])
    for row in invitations:
        row["state_label"] = CoSigner.State(row["state"]).label
    return render(request, "submissions/draft_list.html", {
        "drafts": drafts, "invitations": invitations, "member": proposal_access.member_of(request.user),
    })


@require_http_methods(["GET", "POST"])
@member_required
def draft_new(request):
    member = proposal_access.member_of(request.user)
    meetings = services.meetings_for(member)
    choice = MeetingChoiceForm(request.POST or None, meetings=meetings)
    form = DraftForm(request.POST or None)
    if request.method == "POST" and choice.is_valid() and form.is_valid():
        try:
            draft = services.create_draft(meeting=choice.cleaned_data["meeting"], by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(error.field if error.field in form.fields else None, error.zh)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("submissions:draft", pk=draft.pk)
    return render(request, "submissions/draft_new.html", {"choice": choice, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@member_required
def draft_detail(request, pk: int):
    """The author edits the draft here (and sees similar proposals, co-proposers, attachments and
    the submit button); an invited co-proposer reads it and answers."""
    draft = get_object_or_404(access.drafts_visible_to(request.user).select_related("meeting", "author", "proposal"),
                              pk=pk)
    is_author = draft.author_id == proposal_access.member_of(request.user).pk
    kinds = services.kinds_of(draft.meeting)
    initial = {name: getattr(draft, name) for name in services.TEXT_FIELDS}
    form = DraftForm(request.POST if request.method == "POST" else None, initial=initial, kinds=kinds,
                     labels=draft.part_labels)
    status = 200
    if request.method == "POST":
        if not is_author:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.save_draft(draft=draft, by=request.user, **form.cleaned_data)
            except WorkflowError as error:
                form.add_error(error.field if error.field in form.fields else None, error.zh)
            else:
                messages.success(request, "草稿已保存。")
                return redirect("submissions:draft", pk=pk)
        status = 400
    return render(request, "submissions/draft_detail.html", _detail_context(request, draft, form, is_author),
                  status=status)


def _detail_context(request, draft: Draft, form, is_author: bool) -> dict:
    cosigners = list(draft.cosigners.select_related("member").exclude(state=CoSigner.State.CANCELLED))
    mine = next((row for row in cosigners if row.member.user_id == request.user.pk), None)
    editable = draft.state in services.EDITABLE
    return {
        "draft": draft, "form": form, "is_author": is_author, "editable": is_author and editable,
        "title_hint": rules.title_hint(draft.title, draft.kind),
        "similar": similar_for(draft, request.user) if draft.title else [],
        "cosigners": cosigners, "my_invitation": mine,
        "word": "附议" if draft.meeting.body == "npc" else "联名",
        "invite_form": (InviteForm(candidates=selectors.invite_candidates(draft))
                        if is_author and draft.state == Draft.State.DRAFT else None),
        "attachments": list(draft.attachments.all()), "attachment_form": AttachmentForm(),
        "window": services.open_window(draft.meeting),
        "blockers": services.blockers(draft) if is_author and editable else [],
        "can_withdraw": is_author and services.may_withdraw(draft),
        "status_label": draft.proposal.get_status_display() if draft.proposal else "",
    }


def _done(request, pk: int, action, success: str):
    try:
        action()
    except WorkflowError as error:
        messages.error(request, error.zh)
    else:
        messages.success(request, success)
    return redirect("submissions:draft", pk=pk)


@require_POST
@member_required
def draft_invite(request, pk: int):
    draft = _own(request, pk)
    # Any member may be named here: the service refuses, by name, one not of the meeting's body.
    form = InviteForm(request.POST, candidates=Member.objects.all())
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("submissions:draft", pk=pk)
    return _done(request, pk, lambda: services.invite(draft=draft, members=form.cleaned_data["members"],
                                                      by=request.user), "邀请已发出，对方确认后即列为联名人。")


@require_POST
@member_required
def draft_cancel_pending(request, pk: int):
    draft = _own(request, pk)
    return _done(request, pk, lambda: services.cancel_pending(draft=draft, by=request.user), "未答复的邀请已撤销。")


@require_POST
@member_required
def draft_answer(request, pk: int):
    draft = get_object_or_404(access.drafts_visible_to(request.user), pk=pk)
    invitation = get_object_or_404(CoSigner, draft=draft, member=proposal_access.member_of(request.user))
    confirm = request.POST.get("answer") == "confirm"
    return _done(request, pk, lambda: services.answer_invitation(cosigner=invitation, confirm=confirm, by=request.user),
                 "已确认联名。" if confirm else "已谢绝联名。")


@require_POST
@member_required
def draft_attach(request, pk: int):
    draft = _own(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("submissions:draft", pk=pk)
    upload = form.cleaned_data["file"]

    def attach():
        files.check_size(upload.size)  # before reading it
        services.add_attachment(draft=draft, by=request.user, name=upload.name, data=upload.read())

    return _done(request, pk, attach, "附件已上传。")


@require_POST
@member_required
def draft_submit(request, pk: int):
    draft = _own(request, pk)
    return _done(request, pk, lambda: services.submit(draft=draft, by=request.user),
                 "已提交，等待提案办审查；编号由提案办登记时给出。")


@require_POST
@member_required
def draft_withdraw(request, pk: int):
    draft = _own(request, pk)
    return _done(request, pk, lambda: services.withdraw(draft=draft, by=request.user), "已撤回。")


def _disposition(kind: str, filename: str) -> str:
    return f"{kind}; filename*=UTF-8''{escape_uri_path(filename)}"


@require_GET
@login_required(login_url="members:login")
def draft_docx(request, pk: int):
    """提案表 (.docx): the author and, once it is submitted, the office; it carries the author's contacts,
    so a co-proposer reads the draft on its page instead."""
    drafts = access.drafts_of_author(request.user) if proposal_access.member_of(request.user) else \
        access.drafts_visible_to(request.user)
    draft = get_object_or_404(drafts.select_related("meeting", "author", "proposal"), pk=pk)
    response = HttpResponse(documents.draft_docx(draft), content_type=DOCX)
    response["Content-Disposition"] = _disposition("attachment", documents.docx_filename(draft))
    return response


@require_GET
@login_required(login_url="members:login")
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.filter(draft__in=access.drafts_visible_to(request.user)), pk=pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
