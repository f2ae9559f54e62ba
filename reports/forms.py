"""The dashboard's filters (GET): meeting, year, kind, agency, category."""

from django import forms

from proposals.models import Agency, Meeting, Proposal


class FiguresFilterForm(forms.Form):
    meeting = forms.ModelChoiceField(Meeting.objects.order_by("-year", "name"), required=False, label="会议",
                                     empty_label="全部会议")
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100, label="年度",
                              widget=forms.NumberInput(attrs={"placeholder": "如 2026", "style": "width:6em"}))
    term = forms.IntegerField(required=False, min_value=1, max_value=99, label="届次",
                              widget=forms.NumberInput(attrs={"placeholder": "如 14", "style": "width:4em"}))
    kind = forms.ChoiceField(choices=[("", "全部类型"), *Proposal.Kind.choices], required=False, label="类型")
    agency = forms.ModelChoiceField(Agency.objects.order_by("name"), required=False, label="承办单位",
                                    empty_label="全部承办单位")
    category = forms.ChoiceField(choices=[("", "全部类别"), *Proposal.Category.choices], required=False, label="类别")

    def __init__(self, *args, own_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if own_agency is not None:
            # An agency sees its own figures only: the choice is not theirs to make.
            del self.fields["agency"]

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "meeting": data["meeting"].pk if data.get("meeting") else None,
            "year": data.get("year"),
            "term": data.get("term"),
            "kind": data.get("kind") or None,
            "category": data.get("category") or None,
            "agency": data["agency"].pk if data.get("agency") else None,
        }
