"""submissions/ under the API root (tracker/urls.py mounts it at api/v1/submissions/)."""

from django.urls import path

from submissions import api

urlpatterns = [
    path("", api.DraftList.as_view(), name="api-submission-list"),
    path("<int:pk>/", api.DraftDetail.as_view(), name="api-submission-detail"),
    path("<int:pk>/attachments/", api.DraftAttachments.as_view(), name="api-submission-attachments"),
    path("<int:pk>/invitations/", api.DraftInvitations.as_view(), name="api-submission-invitations"),
    path("<int:pk>/answer/", api.DraftAnswer.as_view(), name="api-submission-answer"),
    path("<int:pk>/submit/", api.DraftSubmit.as_view(), name="api-submission-submit"),
    path("<int:pk>/withdraw/", api.DraftWithdraw.as_view(), name="api-submission-withdraw"),
    path("<int:pk>/similar/", api.DraftSimilar.as_view(), name="api-submission-similar"),
]
