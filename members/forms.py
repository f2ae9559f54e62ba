"""The rating form of a member's page; the rules stay in replies.workflow.record_feedback."""

from django import forms

from replies.models import Rating


class RatingForm(forms.Form):
    attitude = forms.ChoiceField(label="办理态度", choices=Rating.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "请选择对办理态度的评价"})
    result = forms.ChoiceField(label="办理结果", choices=Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": "请选择对办理结果的评价"})
    comments = forms.CharField(label="意见建议", required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 4}))

    def clean_comments(self):
        comments = self.cleaned_data["comments"]
        if "\x00" in comments:
            raise forms.ValidationError("意见建议中含有无效字符")
        return comments
