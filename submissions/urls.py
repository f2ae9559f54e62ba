"""The front door on the member's pages, mounted at /my/submissions/ by tracker/urls.py."""

from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/invite/", views.draft_invite, name="invite"),
    path("<int:pk>/cancel-pending/", views.draft_cancel_pending, name="cancel-pending"),
    path("<int:pk>/answer/", views.draft_answer, name="answer"),
    path("<int:pk>/attach/", views.draft_attach, name="attach"),
    path("<int:pk>/submit/", views.draft_submit, name="submit"),
    path("<int:pk>/withdraw/", views.draft_withdraw, name="withdraw"),
    path("<int:pk>/docx/", views.draft_docx, name="docx"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
