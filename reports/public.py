"""A meeting's headline figures for the public (counts and rates, never a person's name), once
the office has published them: as pages and at GET /api/v1/public/figures/?meeting=ID."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.cache import kept_figures
from reports.figures import today
from reports.selectors import Scope, published_figures
from reports.tables import display

HEADLINE = ("received", "accepted", "accepted_rate", "merged", "not_accepted", "proposals_assigned", "assigned",
            "replied", "replied_rate", "replied_on_time", "on_time_rate", "met_in_person_rate",
            "satisfied_attitude_rate", "satisfied_result_rate", "rehandled")


def public_headline(meeting_id: int) -> dict:
    """The published meeting's headline figures with their definitions; Http404 if not published."""
    published = published_figures().filter(meeting_id=meeting_id).first()
    if published is None:
        raise Http404("该会议的办理情况统计未公开")
    figures = kept_figures(Scope(as_of=today(), meeting_id=meeting_id))
    totals = figures["totals"]
    labels = {c["code"]: c["label"] for c in figures["reply_categories"]}
    return {
        "meeting": published.meeting_id,
        "meeting_name": published.meeting.name,
        "year": published.meeting.year,
        "published_on": published.published_on,
        "as_of": figures["scope"]["as_of"],
        "figures": {key: totals[key] for key in HEADLINE},
        "category_split": [{"code": code, "label": labels.get(code, code), "count": n}
                           for code, n in sorted(totals["category_split"].items())],
        "definitions": {key: figures["definitions"][key] for key in (*HEADLINE, "category_split")},
    }


@require_GET
def figures_list(request):
    """公开的办理情况统计: the meetings whose figures are public."""
    return render(request, "public/figures_list.html", {"published": list(published_figures())})


@require_GET
def figures_detail(request, meeting_id: int):
    headline = public_headline(meeting_id)
    rows = [{"label": headline["definitions"][key]["label"], "value": display(value, "rate" if key.endswith("_rate") else ""),
             "definition": headline["definitions"][key]["definition"]} for key, value in headline["figures"].items()]
    return render(request, "public/figures_detail.html", {"headline": headline, "rows": rows})
