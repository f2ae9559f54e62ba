"""The product's URLs and the baseline of `make bench-load`: the bare Django view that answers a
member's list from values() as JSON, the ceiling the API's throughput is compared with."""

from django.http import HttpResponse
from django.urls import path
from proposals.api import member_proposal_rows
from tracker.api import dumps
from tracker.tokens import token_for_key
from tracker.urls import handler404, handler500, urlpatterns as product_urls  # noqa: F401 (handlers are read here)


def members_baseline(request):
    """Token → the member's first page of proposals, values() as JSON: no DRF, no serializers."""
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    token = token_for_key(key)
    if token is None:
        return HttpResponse(status=401)
    rows = list(member_proposal_rows(token.user)[:20])
    return HttpResponse(dumps({"results": rows}), content_type="application/json")


urlpatterns = [path("bench/members-baseline/", members_baseline), *product_urls]
