"""A member's own pages: their proposals, each one's handling and replies, and the rating form.

Server-rendered and built on what the API uses: proposals.api.member_proposal_rows for the list,
replies.selectors.member_proposal for a proposal in full, replies.workflow for the rating. Who
sees what is theirs: another member's proposal or letter answers 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_GET, require_http_methods

from members.forms import RatingForm
from members.timeline import milestones
from proposals import access
from proposals.api import member_proposal_rows
from proposals.deadlines import days_left
from proposals.models import Proposal
from proposals.transitions import ANSWERING_ROLES
from replies import access as reply_access
from replies import documents, selectors, workflow
from replies.public import letter_parts
from tracker import extensions
from tracker.errors import WorkflowError

PAGE_SIZE = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def member_required(view):
    """Signed in, and a member's own account; anyone else is told so in plain words (403)."""

    @login_required(login_url="members:login")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if access.member_of(request.user) is None:
            return render(request, "members/not_member.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@member_required
def proposal_list(request):
    """我的提案/建议: each with its state, lead agency and nearest deadline, 20 a page."""
    today = timezone.localdate()
    page = Paginator(member_proposal_rows(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row["status_label"] = Proposal.Status(row["status"]).label
        row["days_left"], row["overdue_days"] = _days_left(row["next_due_on"], today)
    return render(request, "members/proposal_list.html", {"page": page, "member": access.member_of(request.user)})


@require_http_methods(["GET", "POST"])
@member_required
def proposal_detail(request, pk: int):
    """One proposal in full; a POST is the member's rating of this round."""
    member = access.member_of(request.user)
    detail = selectors.member_proposal(user=request.user, pk=pk, today=timezone.localdate())
    form = RatingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                workflow.record_feedback(proposal=detail.proposal, member=member, by=request.user, **form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, error.zh)  # people read Chinese; the API keeps English
            else:
                messages.success(request, "评价已提交，感谢您的意见。")
                return redirect("members:proposal-detail", pk=pk)
        status = 400
    detail.can_give_feedback = workflow.feedback_open(proposal=detail.proposal, member=member)
    for assignment in detail.assignments:
        # Days left count towards the reply; an assisting agency's opinion date is the lead's to chase.
        due_on = assignment.due_on if assignment.is_open and assignment.role in ANSWERING_ROLES else None
        assignment.days_left, assignment.overdue_days = _days_left(due_on, detail.today)
    return render(request, "members/proposal_detail.html", {
        "detail": detail,
        "proposal": detail.proposal,
        "timeline": milestones(detail.timeline),
        "letters": [{"reply": reply, **letter_parts(reply)} for reply in detail.replies],
        "form": form,
        "show_form": detail.can_give_feedback or request.method == "POST",
        "extra_sections": [html for contribute in extensions.contributions("member_proposal_sections")
                           if (html := contribute(detail.proposal))],
    }, status=status)


def _days_left(due_on, today) -> tuple[int | None, int]:
    """Days left to an open due date (None when there is none), and the days overdue (0 if not late)."""
    left = days_left(due_on, today) if due_on else None
    return left, (-left if left is not None and left < 0 else 0)


def _sent_letter(request, pk: int):
    return get_object_or_404(reply_access.replies_visible_to(request.user).select_related("signing_agency"), pk=pk)


def _disposition(kind: str, filename: str) -> str:
    return f"{kind}; filename*=UTF-8''{escape_uri_path(filename)}"


@require_GET
@member_required
def reply_text(request, pk: int):
    reply = _sent_letter(request, pk)
    response = HttpResponse(documents.reply_text(reply), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = _disposition("inline", documents.document_filename(reply, "txt"))
    return response


@require_GET
@member_required
def reply_docx(request, pk: int):
    reply = _sent_letter(request, pk)
    response = HttpResponse(documents.reply_docx(reply), content_type=DOCX)
    response["Content-Disposition"] = _disposition("attachment", documents.document_filename(reply, "docx"))
    return response
