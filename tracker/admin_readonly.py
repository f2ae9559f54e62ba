"""A staff page that only shows: no adding, changing or deleting through the admin, whoever asks.

What it lists is written by a workflow, a task or a command (a backup run, a notification, a
rating); each admin that shows such rows subclasses ReadOnlyAdmin and says only who may view them.
"""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
