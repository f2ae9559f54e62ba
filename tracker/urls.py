from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from tracker.views import healthz

admin.site.site_header = "提案办理追踪"
admin.site.site_title = "提案办理追踪"
admin.site.index_title = "办理工作台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
