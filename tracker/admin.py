"""The office's holiday schedules; saving one recomputes the open deadlines it affects."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals import workflow
from tracker import holidays
from tracker.models import CalendarDay, CalendarYear
from tracker.workdays import library_years, provisional_reason


class CalendarDayFormSet(BaseInlineFormSet):
    """Every day belongs to the year it is entered under (a new year has no id yet, so the
    model's own check cannot see the year)."""

    def clean(self):
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = form.cleaned_data.get("date") if form.cleaned_data and not form.cleaned_data.get("DELETE") else None
            if day and year and day.year != year:
                form.add_error("date", ValidationError(
                    f"{day:%Y-%m-%d}不在{year}年内 / This date is not in {year}."
                ))


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 5
    fields = ["date", "is_workday", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "note", "updated_at"]
    inlines = [CalendarDayInline]

    @admin.display(description=_("来源"))
    def source(self, obj):
        return "本办录入(覆盖内置日历)" if obj.year in library_years() else "本办录入"

    def changelist_view(self, request, extra_context=None):
        # Tell the clerk what the deadlines of the coming unpublished years rest on, and what is missing.
        this_year = timezone.localdate().year
        entered = set(CalendarYear.objects.filter(year__in=[this_year, this_year + 1]).values_list("year", flat=True))
        for year in (this_year, this_year + 1):
            if year not in entered and year not in library_years() and holidays.covers(year):
                messages.warning(request, f"{provisional_reason(year)}({holidays.describe(year)})。"
                                          f"调休上班日须待国务院办公厅通知公布后在此录入,期限将自动重新计算。")
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The year as saved and, if it was changed, the year it was before.
        years = {form.instance.year, form.initial.get("year")} - {None}
        moved = workflow.recompute_open_deadlines(years=years, by=request.user)
        messages.info(request, f"已按新的节假日安排重新计算期限:{moved} 件交办的期限有变化。")
