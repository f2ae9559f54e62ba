from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: each role's own to-do list as the admin's start page (issue 13, item 4)."""

    name = "workbench"
    verbose_name = "工作台"

    def ready(self):
        from django.contrib import admin

        # The start page's template; tracker/urls.py routes /admin/ to workbench.views.index.
        admin.site.index_template = "admin/workbench/index.html"
