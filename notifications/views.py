"""A person's own choice of mail delivery on the web (members use no admin; staff have the admin's
我的通知设置 too). The rule lives in notifications.preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from notifications import preferences
from notifications.models import Delivery


class DeliveryForm(forms.Form):
    email = forms.ChoiceField(label="电子邮件通知", choices=Delivery.choices, widget=forms.RadioSelect,
                              error_messages={"required": "请选择邮件通知方式"})


@require_http_methods(["GET", "POST"])
@login_required(login_url="members:login")
def my_notice_settings(request):
    if request.method == "POST":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            preferences.choose_email_delivery(user=request.user, delivery=form.cleaned_data["email"])
            messages.success(request, f"已保存：邮件通知{Delivery(form.cleaned_data['email']).label}。")
            return redirect("notice-settings")
        status = 400
    else:
        form = DeliveryForm(initial={"email": preferences.email_delivery_of(request.user)})
        status = 200
    return render(request, "notifications/my_settings.html", {"form": form}, status=status)
