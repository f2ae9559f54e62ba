"""The office's holiday schedules; saving one recomputes the open deadlines it affects."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from proposals import workflow
from tracker.models import CalendarDay, CalendarYear
from tracker.workdays import library_years


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 5
    fields = ["date", "is_workday", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "note", "updated_at"]
    inlines = [CalendarDayInline]

    @admin.display(description=_("来源"))
    def source(self, obj):
        return "本办录入(覆盖内置日历)" if obj.year in library_years() else "本办录入"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        moved = workflow.recompute_open_deadlines(years=[form.instance.year], by=request.user)
        messages.info(request, f"已按新的节假日安排重新计算期限:{moved} 件交办的期限有变化。")
