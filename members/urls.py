"""A member's own pages (委员/代表), mounted at /my/ by tracker/urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from members import views

app_name = "members"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(
        template_name="members/login.html", next_page=reverse_lazy("members:proposal-list")
    ), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("members:login")), name="logout"),
    path("", views.proposal_list, name="proposal-list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("replies/<int:pk>/text/", views.reply_text, name="reply-text"),
    path("replies/<int:pk>/docx/", views.reply_docx, name="reply-docx"),
]
