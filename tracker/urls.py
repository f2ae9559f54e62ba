from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from notifications.views import my_notice_settings
from proposals.api import ProposalList
from replies import public
from replies.api import (
    ProposalDetail,
    ProposalFeedback,
    PublicReplyDetail,
    PublicReplyList,
    ReplyDocx,
    ReplyText,
)
from reports import public as public_figures
from reports.api import PublicFigures
from tracker.api_auth import AuthToken
from tracker.views import FaviconRedirect, healthz
from workbench import views as workbench

admin.site.site_header = "提案办理追踪"
admin.site.site_title = "提案办理追踪"
admin.site.index_title = "办理工作台"
# 查看站点 opens the public pages, not the admin again.
admin.site.site_url = "/public/replies/"
# The left menu takes 300 px that the lists need at 1366 px; the start page carries the menu.
admin.site.enable_nav_sidebar = False

# Members' and public API (docs/domain.md). The paths are a contract with the apps built on them.
api_v1 = [
    path("auth/token/", AuthToken.as_view(), name="api-token"),
    path("proposals/", ProposalList.as_view(), name="api-proposal-list"),
    path("proposals/<int:pk>/", ProposalDetail.as_view(), name="api-proposal-detail"),
    path("proposals/<int:pk>/feedback/", ProposalFeedback.as_view(), name="api-proposal-feedback"),
    path("replies/<int:pk>/text/", ReplyText.as_view(), name="api-reply-text"),
    path("replies/<int:pk>/docx/", ReplyDocx.as_view(), name="api-reply-docx"),
    path("", include("notifications.urls")),
    path("submissions/", include("submissions.api_urls")),  # notifications/, notifications/<id>/, …/read/, …/unread/
    path("public/replies/", PublicReplyList.as_view(), name="api-public-reply-list"),
    path("public/replies/<int:pk>/", PublicReplyDetail.as_view(), name="api-public-reply-detail"),
    path("public/figures/", PublicFigures.as_view(), name="api-public-figures"),
]

urlpatterns = [
    # The admin's start page is each role's own to-do list (工作台); the rest is the stock admin.
    path("admin/", admin.site.admin_view(workbench.index), name="workbench"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="tracker/api_docs.html"), name="api-docs"),
    # Public disclosure pages (建议提案办理情况公开): server-rendered, no JavaScript needed.
    path("public/replies/", public.reply_list, name="public-reply-list"),
    path("public/replies/<int:pk>/", public.reply_detail, name="public-reply-detail"),
    path("public/figures/", public_figures.figures_list, name="public-figures-list"),
    path("public/figures/<int:meeting_id>/", public_figures.figures_detail, name="public-figures-detail"),
    # A member's own pages (委员/代表): their proposals, replies and ratings, on the web and on phones.
    path("my/submissions/", include("submissions.urls")),
    path("my/", include("members.urls")),
    path("notices/settings/", my_notice_settings, name="notice-settings"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

# JSON errors under /api/ for paths no route matches; the site's pages elsewhere.
handler404 = "tracker.api.api_not_found"
handler500 = "tracker.api.api_server_error"
