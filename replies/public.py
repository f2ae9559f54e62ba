"""Public disclosure of replies (建议提案办理情况公开): what anyone may read, as pages and as data.

Only letters that were sent, published (Reply.published_on set by replies.workflow.publish_reply)
and marked public are shown. Proposers' contact details are never selected here: a published
reply shows the addressee's name, as the letter does, and the agency's contact (State Council
notice 国办发〔2014〕46号 and the provincial rules on what disclosure may show).

The pages are server-rendered and need no JavaScript: a list with search and filters, and a page
per letter laid out like the offices' own disclosure pages (seeds/).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_filters import rest_framework as filters

from proposals.models import Agency, Meeting, Proposal
from replies import documents
from replies.models import Reply
from tracker.api import IntegerFilter, KeywordFilter
from tracker.paginators import keyword_list_paginator

PAGE_SIZE = 20

ROW_FIELDS = ("id", "title", "document_number", "index_number", "signed_on", "published_on")
ROW_EXPRESSIONS = {
    "agency": F("signing_agency__name"),
    "agency_id": F("signing_agency_id"),
    "meeting_id": F("assignment__proposal__meeting_id"),
    "meeting_name": F("assignment__proposal__meeting__name"),
    "year": F("assignment__proposal__meeting__year"),
    "proposal_kind": F("assignment__proposal__kind"),
    "proposal_number": F("assignment__proposal__number"),
    "proposal_title": F("assignment__proposal__title"),
}


# --- selectors ---------------------------------------------------------------------------------


def public_replies() -> QuerySet[Reply]:
    """Letters the public may read: sent, published and marked public."""
    return Reply.objects.filter(
        state=Reply.State.SENT, published_on__isnull=False, disclosure=Reply.Disclosure.PUBLIC
    )


def public_reply_rows() -> QuerySet:
    """Published letters as plain rows for a list, newest publication first (index published_replies)."""
    return public_replies().values(*ROW_FIELDS, **ROW_EXPRESSIONS).order_by("-published_on", "-id")


def public_reply(pk: int) -> Reply:
    """One published letter with its proposal, meeting and agency; Http404 otherwise."""
    return get_object_or_404(
        public_replies().select_related("assignment__proposal__meeting", "signing_agency"), pk=pk
    )


def public_filter_choices() -> dict[str, list]:
    """What the filters offer: only meetings, agencies and years that have published letters."""
    published = public_replies()
    meetings = list(
        Meeting.objects.filter(proposals__assignments__replies__in=published).distinct()
        .order_by("-year", "name").values("id", "name", "year")
    )
    return {
        "meetings": meetings,
        "agencies": list(Agency.objects.filter(pk__in=published.values("signing_agency_id")).values("id", "name")),
        "years": sorted({meeting["year"] for meeting in meetings}, reverse=True),
    }


class PublicReplyFilter(filters.FilterSet):
    """Filters of the public list, shared by the page and the API."""

    meeting = IntegerFilter(field_name="assignment__proposal__meeting_id", label="会议 id / meeting id")
    agency = IntegerFilter(field_name="signing_agency_id", label="答复单位 id / replying agency id")
    year = IntegerFilter(field_name="assignment__proposal__meeting__year", label="年度 / year of the meeting")
    q = KeywordFilter()

    class Meta:
        model = Reply
        fields = []


def letter_parts(reply: Reply) -> dict:
    """The letter as the disclosure page shows it: addressee, paragraphs, signature, notes."""
    return {
        "addressee": documents.addressee_line(reply),
        "paragraphs": documents.body_paragraphs(reply.body),
        "signed_on_text": documents.chinese_date(reply.signed_on) if reply.signed_on else "",
        "contact": documents.contact_line(reply),
    }


def section_name(kind: str) -> str:
    """The column the disclosure pages file a letter under (seeds/000: … > 建议提案办理情况公开 > 政协提案)."""
    return "人大代表建议" if kind == Proposal.Kind.SUGGESTION else "政协提案"


# --- pages -------------------------------------------------------------------------------------


@require_GET
def reply_list(request):
    """公开答复列表: search, filter by meeting, agency and year; 20 a page."""
    # The form sends every field, blank for 全部; the filters (shared with the API) refuse blanks.
    filters_given = {name: value for name, value in request.GET.items() if value.strip()}
    filterset = PublicReplyFilter(filters_given, queryset=public_reply_rows())
    rows = filterset.qs if filterset.is_valid() else public_reply_rows().none()
    # A common word is in most published letters: its matches are counted up to a limit.
    paginator = keyword_list_paginator(bool(filters_given.get("q")), Paginator)(rows, PAGE_SIZE)
    if filterset.is_valid() and not (filters_given.keys() - {"page"}):
        # Unfiltered, the total is the letters alone: the row joins would be counted for nothing.
        paginator.count = public_replies().count()
    page = paginator.get_page(request.GET.get("page"))
    for row in page.object_list:
        row["section"] = section_name(row["proposal_kind"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "public/reply_list.html", {
        "page": page,
        "filterset": filterset,
        "errors": filterset.errors,
        "choices": public_filter_choices(),
        "selected": {name: request.GET.get(name, "") for name in ("q", "meeting", "agency", "year")},
        "query": query.urlencode(),
    })


@require_GET
def reply_detail(request, pk: int):
    """One published letter, laid out like the offices' disclosure pages."""
    reply = public_reply(pk)
    proposal = reply.assignment.proposal
    return render(request, "public/reply_detail.html", {
        "reply": reply,
        "proposal": proposal,
        "section": section_name(proposal.kind),
        **letter_parts(reply),
    })
