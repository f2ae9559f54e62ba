from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("工作日历")
    default = True  # this module also holds the admin's config

    def ready(self):
        from tracker import api_schema, lookups  # noqa: F401 (api_schema registers its extensions)

        lookups.register()


class TrackerAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's site (tracker.admin_site)."""

    default = False
    default_site = "tracker.admin_site.TrackerAdminSite"


class LoginLockoutConfig(AxesAppConfig):
    """django-axes under a Chinese heading in the admin's menu."""

    default = False
    verbose_name = _("登录保护")
