"""The drafting form of the member's page; the rules stay in submissions.services and .rules."""

from django import forms

from proposals.models import Member, Proposal
from submissions.models import BODY_LIMIT, Draft


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Draft.Kind.choices)
    title = forms.CharField(label="案由", max_length=300, required=False,
                            help_text="一般写作“关于……的提案”（人大为“关于……的建议”或“关于……的议案”）",
                            widget=forms.TextInput(attrs={"placeholder": "关于……的提案"}))
    category = forms.ChoiceField(label="类别", choices=Proposal.Category.choices)
    analysis = forms.CharField(label="情况分析", required=False, max_length=BODY_LIMIT,
                               widget=forms.Textarea(attrs={"rows": 8}))
    suggestions = forms.CharField(label="具体建议", required=False, max_length=BODY_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 8}))
    phone = forms.CharField(label="联系电话", required=False, max_length=50, help_text="仅提案办可见，不公开")
    address = forms.CharField(label="通信地址", required=False, max_length=200, help_text="仅提案办可见，不公开")

    def __init__(self, *args, kinds=None, labels=("情况分析", "具体建议"), **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [(k, Draft.Kind(k).label) for k in kinds]
        self.fields["analysis"].label, self.fields["suggestions"].label = labels
        for name, field in self.fields.items():
            field.error_messages["max_length"] = f"{field.label}不能超过%(limit_value)d字"


class MeetingChoiceForm(forms.Form):
    meeting = forms.ModelChoiceField(label="会议", queryset=None, empty_label=None,
                                     error_messages={"invalid_choice": "请选择本人所属的会议"})

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.sector}）" if obj.sector else obj.name


class InviteForm(forms.Form):
    members = MemberChoices(
        label="邀请联名人", queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择要邀请的委员/代表", "invalid_choice": "所选人员不在名单中",
                        "invalid_pk_value": "所选人员不在名单中"})

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates if candidates is not None else Member.objects.none()


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件", error_messages={"required": "请选择要上传的文件",
                                                        "empty": "附件是空文件"})
