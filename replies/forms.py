"""Admin forms for the reply work. Each parses input and calls one function of replies.workflow;
none holds a rule of its own."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from proposals.forms import TransitionForm
from proposals.models import Member
from replies import workflow
from replies.models import AssistingOpinion, Feedback, OpinionWaiverRequest, Rating, Reply, ReplyCategory
from tracker.errors import WorkflowError


def _raise_as_form_error(form: forms.Form, error: WorkflowError) -> None:
    # People read the admin in Chinese; the English message is the API's (Accept-Language) and the logs'.
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.zh)
    else:
        raise ValidationError(error.zh, code=error.code)


# --- drafting forms (the admin's add/change pages) ---------------------------------------------


class VersionedDraftForm(forms.ModelForm):
    """A draft's form carries the version it was opened at; the workflow refuses a stale save.

    `current_user` is set by the ModelAdmin on the class it builds per request.
    """

    current_user = None
    version = forms.IntegerField(label=_("版本"), widget=forms.HiddenInput, required=False)
    draft_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" in self.fields:
            self.fields["version"].initial = self.instance.version
            # Editing a saved draft always says which version it started from: a request without
            # it could otherwise overwrite someone else's save unchecked.
            self.fields["version"].required = True

    def draft_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.draft_fields if name in self.cleaned_data}

    def clean(self):
        # Deliberately not ModelForm.clean(): uniqueness and constraints are the workflow's to
        # check, under the row lock, with its own messages.
        if self.errors:
            return self.cleaned_data
        try:
            self.check_with_workflow()
        except WorkflowError as error:
            _raise_as_form_error(self, error)
        return self.cleaned_data

    def check_with_workflow(self) -> None:
        raise NotImplementedError


class ReplyDraftForm(VersionedDraftForm):
    draft_fields = workflow.DRAFT_FIELDS
    category = forms.ChoiceField(label=_("答复类别"), required=False)
    # Not bound to the model field, so the model's check constraint does not duplicate the
    # workflow's clearer message.
    nondisclosure_reason = forms.CharField(label=_("不公开理由"), required=False, max_length=300,
                                           help_text=_("公开属性不是“公开”时必填"))

    class Meta:
        model = Reply
        fields = ["assignment", "title", "addressee", "body", "document_number", "signed_on", "contact_person",
                  "contact_phone", "category", "disclosure"]
        exclude = ["nondisclosure_reason", "version"]
        # A letter's title runs to 40-odd characters: as wide as the body, not the admin's 20em.
        widgets = {"title": forms.TextInput(attrs={"class": "vLargeTextField"}),
                   "body": forms.Textarea(attrs={"rows": 24, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (category.code, str(category)) for category in ReplyCategory.objects.filter(active=True)
        ]
        if self.instance.pk:
            self.fields["nondisclosure_reason"].initial = self.instance.nondisclosure_reason
        self._say_what_the_letter_adds()

    def _say_what_the_letter_adds(self) -> None:
        hints = {
            "addressee": "信中自动成为正文前的称呼并加冒号，如“江霞委员：”。",
            "body": "从称呼后的第一段写起：称呼按“主送”、文末的联系人和联系电话按下方两栏自动加上，"
                    "正文中不必再写（写了也会去掉）。",
            "contact_person": "自动印在落款日期下方的附注中。",
        }
        for name, hint in hints.items():
            if name in self.fields:
                self.fields[name].help_text = hint

    def check_with_workflow(self) -> None:
        if self.instance.pk:
            workflow.validate_reply_draft(by=self.current_user, reply=self.instance,
                                          version=self.cleaned_data.get("version"), values=self.draft_values())
        else:
            workflow.validate_reply_draft(by=self.current_user, assignment=self.cleaned_data["assignment"],
                                          values=self.draft_values())


class OpinionDraftForm(VersionedDraftForm):
    draft_fields = workflow.OPINION_FIELDS

    class Meta:
        model = AssistingOpinion
        fields = ["assignment", "title", "document_number", "body", "contact_person", "contact_phone", "signed_on"]
        exclude = ["version"]
        widgets = {"title": forms.TextInput(attrs={"class": "vLargeTextField"}),
                   "body": forms.Textarea(attrs={"rows": 16, "cols": 90})}

    def check_with_workflow(self) -> None:
        if self.instance.pk:
            workflow.validate_opinion_draft(by=self.current_user, opinion=self.instance,
                                            version=self.cleaned_data.get("version"), values=self.draft_values())
        else:
            workflow.validate_opinion_draft(by=self.current_user, assignment=self.cleaned_data["assignment"],
                                            values=self.draft_values())


# --- steps on a reply ---------------------------------------------------------------------------


class VersionedStepForm(TransitionForm):
    """A step that acts on what the user saw: the version travels with the form."""

    version = forms.IntegerField(label=_("版本"), widget=forms.HiddenInput)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        self.fields["version"].initial = target.version


class SubmitReplyForm(VersionedStepForm):
    title = _("提交审核")
    submit_label = _("提交本单位负责人审核")

    def perform(self, user):
        return workflow.submit_reply(reply=self.target, by=user, version=self.cleaned_data["version"])


class ReturnReplyForm(VersionedStepForm):
    title = _("退回修改")
    comment = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 4}))

    def perform(self, user):
        return workflow.return_reply(reply=self.target, by=user, comment=self.cleaned_data["comment"],
                                     version=self.cleaned_data["version"])


class SignOffReplyForm(VersionedStepForm):
    title = _("签发")
    submit_label = _("确认签发")
    document_number = forms.CharField(label=_("文号"), required=False, max_length=60,
                                      help_text=_("如：穗科函〔2022〕123号；留空则沿用草稿中的文号"))
    signed_on = forms.DateField(label=_("落款日期"), required=False, help_text=_("留空为今天"),
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        self.fields["document_number"].initial = target.document_number

    def perform(self, user):
        data = self.cleaned_data
        return workflow.sign_off_reply(reply=self.target, by=user, version=data["version"],
                                       document_number=data["document_number"], signed_on=data["signed_on"])


class SendReplyForm(VersionedStepForm):
    title = _("送达提出人")
    submit_label = _("确认答复已送达提出人")

    def perform(self, user):
        return workflow.send_reply(reply=self.target, by=user, version=self.cleaned_data["version"])


class PublishReplyForm(TransitionForm):
    title = _("主动公开")
    index_number = forms.CharField(label=_("索引号"), required=False, max_length=80)
    on = forms.DateField(label=_("公开日期"), required=False, help_text=_("留空为今天"),
                         widget=forms.DateInput(attrs={"type": "date"}))

    def perform(self, user):
        return workflow.publish_reply(reply=self.target, by=user, on=self.cleaned_data["on"],
                                      index_number=self.cleaned_data["index_number"])


class WithdrawPublicationForm(TransitionForm):
    title = _("撤销公开")
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, user):
        return workflow.withdraw_reply_publication(reply=self.target, by=user, reason=self.cleaned_data["reason"])


class FollowUpDoneForm(TransitionForm):
    title = _("承诺事项已办结")
    on = forms.DateField(label=_("办结日期"), required=False, help_text=_("留空为今天"),
                         widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False)

    def perform(self, user):
        return workflow.record_follow_up_done(reply=self.target, by=user, on=self.cleaned_data["on"],
                                              note=self.cleaned_data["note"])


class RequestOpinionWaiverForm(TransitionForm):
    title = _("催办并申请不待会办意见")
    submit_label = _("催办会办单位并报提案办")
    reason = forms.CharField(
        label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("会办单位将收到催办通知；提案办在工作台上同意或不同意不待其会办意见"),
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        missing = "、".join(item.agency.name for item in workflow.opinions_outstanding(target.assignment))
        if missing:
            self.fields["reason"].help_text = (f"将催办{missing}提交会办意见，并报提案办；"
                                               "提案办在工作台上同意或不同意不待其会办意见")

    def perform(self, user):
        return workflow.request_opinion_waiver(reply=self.target, by=user, reason=self.cleaned_data["reason"])


REPLY_STEPS: dict[str, type[TransitionForm]] = {
    "submit": SubmitReplyForm,
    "request_opinion_waiver": RequestOpinionWaiverForm,
    "return": ReturnReplyForm,
    "sign_off": SignOffReplyForm,
    "send": SendReplyForm,
    "publish": PublishReplyForm,
    "withdraw_publication": WithdrawPublicationForm,
    "follow_up_done": FollowUpDoneForm,
}


class SendOpinionForm(VersionedStepForm):
    title = _("提交会办意见")
    submit_label = _("提交主办单位")

    def perform(self, user):
        return workflow.send_assisting_opinion(opinion=self.target, by=user, version=self.cleaned_data["version"])


OPINION_STEPS: dict[str, type[TransitionForm]] = {"send": SendOpinionForm}


# --- steps on an assignment: the office waives 办前沟通 -------------------------------------------


class WaiveCommunicationForm(TransitionForm):
    title = _("同意免于办前沟通")
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("如：提出人明确表示无需面商、书面答复即可"))

    def perform(self, user):
        return workflow.waive_communication(assignment=self.target, by=user, reason=self.cleaned_data["reason"])


def _pending_waiver_request(assignment):
    return (OpinionWaiverRequest.objects.filter(assignment=assignment, state=OpinionWaiverRequest.State.REQUESTED)
            .select_related("lead__agency").first())


class WaiveOpinionForm(TransitionForm):
    title = _("同意不待会办意见")
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("如：会办意见已逾期，经催办仍未提交；会办单位表示无补充意见"))

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        request = _pending_waiver_request(target)
        if request is not None:  # the lead agency's own words, for the clerk to keep or edit
            self.fields["reason"].initial = f"{request.lead.agency.name}申请：{request.reason}"

    def perform(self, user):
        return workflow.waive_opinion(assignment=self.target, by=user, reason=self.cleaned_data["reason"])


class RefuseOpinionWaiverForm(TransitionForm):
    title = _("不同意不待会办意见")
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("主办单位将收到通知，继续等待会办意见"))

    def perform(self, user):
        return workflow.refuse_opinion_waiver(assignment=self.target, by=user, reason=self.cleaned_data["reason"])


ASSIGNMENT_REPLY_STEPS: dict[str, type[TransitionForm]] = {
    "waive_communication": WaiveCommunicationForm,
    "waive_opinion": WaiveOpinionForm,
    "refuse_opinion_waiver": RefuseOpinionWaiverForm,
}


# --- steps on a proposal: ratings the office enters ------------------------------------------------


class RecordFeedbackForm(TransitionForm):
    title = _("录入评价意见")
    member = forms.ModelChoiceField(label=_("评价人"), queryset=Member.objects.none())
    attitude = forms.ChoiceField(label=_("办理态度"), choices=Rating.choices)
    result = forms.ChoiceField(label=_("办理结果"), choices=Rating.choices,
                               help_text=_("“不满意”将在全体评价后启动重新办理"))
    comments = forms.CharField(label=_("意见建议"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    channel = forms.ChoiceField(label=_("方式"), choices=[
        (Feedback.Channel.PHONE, Feedback.Channel.PHONE.label), (Feedback.Channel.PAPER, Feedback.Channel.PAPER.label),
    ])

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        rated = Feedback.objects.filter(proposal=target, round=target.round).values("member_id")
        self.fields["member"].queryset = (
            Member.objects.filter(proposals_signed__proposal=target).exclude(pk__in=rated)
            .order_by("proposals_signed__order")
        )

    def perform(self, user):
        data = self.cleaned_data
        return workflow.record_feedback(proposal=self.target, member=data["member"], attitude=data["attitude"],
                                        result=data["result"], comments=data["comments"], by=user,
                                        channel=data["channel"])


class CloseFeedbackWindowForm(TransitionForm):
    title = _("结束征询意见")
    submit_label = _("结束征询，按已收到的评价确定结果")
    note = forms.CharField(label=_("说明"), required=False)

    def perform(self, user):
        return workflow.close_feedback_window(proposal=self.target, by=user, note=self.cleaned_data["note"])


PROPOSAL_REPLY_STEPS: dict[str, type[TransitionForm]] = {
    "record_feedback": RecordFeedbackForm,
    "close_feedback_window": CloseFeedbackWindowForm,
}
