"""The admin's start page: the site's index with the reader's own to-do list on top."""

from django.contrib import admin
from django.utils import timezone

from workbench.sections import workbench_for


def index(request, extra_context=None):
    """admin.site.index with the workbench (tracker/urls.py routes /admin/ here, through admin_view)."""
    context = {"workbench": workbench_for(request.user, timezone.localdate()), **(extra_context or {})}
    return admin.site.index(request, extra_context=context)
