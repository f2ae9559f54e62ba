from django.db import connection
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.generic import RedirectView


def healthz(request):
    """Liveness for the load balancer and compose: the app answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


class FaviconRedirect(RedirectView):
    """Browsers ask for /favicon.ico on pages that name no icon (the API docs): send them to the
    site's icon instead of a 404 in the log for every first visit."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("tracker/favicon.svg")  # at request time: the manifest names the hashed file
