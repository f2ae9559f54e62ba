"""Workflow steps as admin pages: a button on the object page opens a small form that calls the
workflow; a refusal comes back as a form error and a message, and nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse

from tracker.errors import WorkflowError


class WorkflowStepsMixin:
    """For a ModelAdmin: `steps` maps a step name to its TransitionForm; `steps_for(obj)` lists
    the ones to offer. Objects are fetched through `get_queryset`, so what a user may not see
    answers 404."""

    steps: dict = {}
    change_form_template = "admin/tracker/change_form_with_steps.html"

    def steps_for(self, request, obj) -> list[str]:
        """The steps the object's page offers now (by role and state)."""
        return []

    def page_sections(self, request, obj) -> list:
        """Sections below the object's form: callables (request, obj) -> HTML or "" (a page that
        apps above extend reads them from a hook of tracker/extensions.py)."""
        return []

    def step_permitted(self, request, obj, step: str) -> bool:
        """Whether the user's role may take `step` on `obj` at all; by default, what is offered now."""
        return step in self.steps_for(request, obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path("<path:object_id>/step/<str:step>/", self.admin_site.admin_view(self.step_view),
                 name="%s_%s_step" % info),
        ]
        return extra + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            # Django's admin would redirect to its index with "may have been deleted"; another
            # agency's work (or a link forwarded to the wrong person) is simply not there.
            raise Http404
        extra_context = {
            **(extra_context or {}),
            "workflow_steps": [
                (self.steps[name].title, reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_step",
                                                 args=[obj.pk, name]))
                for name in self.steps_for(request, obj)
            ],
            "page_sections": [html for section in self.page_sections(request, obj) if (html := section(request, obj))],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, object_id, step):
        obj = self.get_object(request, object_id)
        # A step this user's role may not take answers as if it did not exist (a clerk's form would
        # otherwise list what the user may not see). One the state no longer allows still opens, so
        # a clerk who lost a race gets the workflow's clear refusal, not a missing page.
        if obj is None or step not in self.steps or not self.step_permitted(request, obj, step):
            raise Http404
        form_class = self.steps[step]
        form = form_class(request.POST or None, target=obj)
        if request.method == "POST" and form.is_valid():
            try:
                form.perform(request.user)
            except WorkflowError as error:
                # Chinese only: people read the admin; English stays for the API and the logs.
                form.add_error(error.field if error.field in form.fields else None, error.zh)
                messages.error(request, error.zh)
            else:
                messages.success(request, f"{form_class.title}：已完成")
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"{form_class.title}：{obj}",
            "form": form,
            "submit_label": form_class.submit_label,
            "media": self.media + form.media,
        }
        return render(request, "admin/tracker/step_form.html", context)
