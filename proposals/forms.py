"""Small forms for the admin's workflow steps. Each parses input and calls one workflow function."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from proposals import workflow
from proposals.models import Agency, Assignment, Communication, Member, NotAcceptGround, Proposal
from tracker import extensions
from tracker.admin_site import ValidChoicesAutocompleteSelect, ValidChoicesAutocompleteSelectMultiple


class TransitionForm(forms.Form):
    """A form whose `perform` runs one workflow step on `target` as `user`."""

    title: str = ""
    submit_label: str = _("确定")

    def __init__(self, *args, target, **kwargs):
        self.target = target
        super().__init__(*args, **kwargs)

    def perform(self, user):
        raise NotImplementedError


class AcceptForm(TransitionForm):
    title = _("立案")
    note = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, user):
        return workflow.accept_proposal(proposal=self.target, by=user, note=self.cleaned_data["note"])


class NotAcceptForm(TransitionForm):
    title = _("不予立案")
    ground = forms.ModelChoiceField(label=_("不予立案情形"), queryset=NotAcceptGround.objects.filter(active=True))
    reason = forms.CharField(label=_("理由（将告知提出人）"), widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, user):
        data = self.cleaned_data
        return workflow.not_accept_proposal(proposal=self.target, ground=data["ground"], reason=data["reason"], by=user)


class MergeForm(TransitionForm):
    title = _("并案")
    into = forms.ModelChoiceField(label=_("并入"), queryset=Proposal.objects.none())
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(
            meeting=target.meeting_id,
            status__in=[Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED, Proposal.Status.ASSIGNED,
                        Proposal.Status.IN_PROGRESS],
        ).exclude(pk=target.pk)

    def perform(self, user):
        return workflow.merge_proposal(proposal=self.target, into=self.cleaned_data["into"], by=user,
                                       note=self.cleaned_data["note"])


class ReferForm(TransitionForm):
    title = _("转有关方面参考")
    to = forms.CharField(label=_("转交对象"), max_length=200, help_text=_("如：转市政府办公厅作为社情民意参考"))
    note = forms.CharField(label=_("说明"), required=False)

    def perform(self, user):
        return workflow.refer_proposal(proposal=self.target, to=self.cleaned_data["to"], by=user,
                                       note=self.cleaned_data["note"])


class WithdrawForm(TransitionForm):
    title = _("撤回")
    consenting = forms.ModelMultipleChoiceField(
        label=_("同意撤回的提出人"), queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("联名提案须全体提出人同意"),
    )
    reason = forms.CharField(label=_("撤回理由"), required=False)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        self.fields["consenting"].queryset = Member.objects.filter(proposals_signed__proposal=target).order_by(
            "proposals_signed__order"
        )

    def perform(self, user):
        return workflow.withdraw_proposal(proposal=self.target, consenting=self.cleaned_data["consenting"], by=user,
                                          reason=self.cleaned_data["reason"])


class _OneRegion:
    """The admin's agency autocomplete limited to one region's agencies (AgencyAdmin reads ?region=)."""

    def __init__(self, region: str):
        super().__init__(Assignment._meta.get_field("agency"), admin.site)
        self.region = region

    def get_url(self):
        return f"{super().get_url()}?{urlencode({'region': self.region})}"


class RegionAgencySelect(_OneRegion, ValidChoicesAutocompleteSelect):
    pass


class RegionAgencySelectMultiple(_OneRegion, ValidChoicesAutocompleteSelectMultiple):
    pass


class AssignForm(TransitionForm):
    title = _("交办")
    lead = forms.ModelChoiceField(label=_("主办单位"), queryset=Agency.objects.none(), required=False)
    joint = forms.ModelMultipleChoiceField(
        label=_("分办单位"), queryset=Agency.objects.none(), required=False,
        help_text=_("分办时各单位分别答复；有主办单位时通常留空"),
    )
    assisting = forms.ModelMultipleChoiceField(label=_("会办单位"), queryset=Agency.objects.none(), required=False)
    on = forms.DateField(label=_("交办日期"), required=False, help_text=_("留空为今天"),
                         widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        # The meeting's own region: agencies of other cities (brought in by published letters)
        # must not crowd the list or be chosen by mistake.
        region = target.meeting.region
        agencies = Agency.objects.filter(region=region)
        for name in ("lead", "joint", "assisting"):
            widget = RegionAgencySelect if name == "lead" else RegionAgencySelectMultiple
            self.fields[name].widget = widget(region)
            self.fields[name].queryset = agencies  # after the widget: it hands the widget its choices
        # Apps above may add a hint for the lead agency (the `lead_hints` hook: intake suggests
        # agencies from the office's history and the agencies' duties; the clerk decides).
        hints = [hint for hint in (provide(target) for provide in extensions.contributions("lead_hints")) if hint]
        if hints:
            self.fields["lead"].help_text = ";".join(hints)

    def perform(self, user):
        data = self.cleaned_data
        return workflow.assign_proposal(
            proposal=self.target, by=user, lead=data["lead"], joint=list(data["joint"]),
            assisting=list(data["assisting"]), on=data["on"],
        )


class CloseForm(TransitionForm):
    title = _("办结")
    note = forms.CharField(label=_("说明"), required=False)

    def perform(self, user):
        return workflow.close_proposal(proposal=self.target, by=user, note=self.cleaned_data["note"])


class RequestReassignmentForm(TransitionForm):
    title = _("申请调整承办单位")
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, user):
        return workflow.request_reassignment(assignment=self.target, reason=self.cleaned_data["reason"], by=user)


class DecideReassignmentForm(TransitionForm):
    title = _("审批调整申请")
    approve = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("同意调整")), ("0", _("不同意，原单位继续办理"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    new_agency = forms.ModelChoiceField(label=_("调整至"), queryset=Agency.objects.all(), required=False)
    note = forms.CharField(label=_("意见"), required=False)

    def perform(self, user):
        data = self.cleaned_data
        return workflow.decide_reassignment(assignment=self.target, approve=data["approve"], by=user,
                                            new_agency=data["new_agency"], note=data["note"])


class RequestExtensionForm(TransitionForm):
    title = _("申请延期")
    until = forms.DateField(label=_("延期至"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, user):
        return workflow.request_extension(assignment=self.target, until=self.cleaned_data["until"],
                                          reason=self.cleaned_data["reason"], by=user)


class SignForForm(TransitionForm):
    title = _("签收")
    submit_label = _("确认签收")

    def perform(self, user):
        return workflow.sign_for_assignment(assignment=self.target, by=user)


# --- steps on an assignment: contacts with the proposers (办前沟通) ----------------------------------------


class PlanCommunicationForm(TransitionForm):
    title = _("安排沟通")
    mode = forms.ChoiceField(label=_("方式"), choices=Communication.Mode.choices)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("地点"), required=False, max_length=200)
    agenda = forms.CharField(label=_("议题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    agency_participants = forms.CharField(label=_("本单位参加人员"), required=False)
    members = forms.ModelMultipleChoiceField(label=_("参加的提出人"), queryset=Member.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        self.fields["members"].queryset = Member.objects.filter(proposals_signed__proposal=target.proposal_id)

    def perform(self, user):
        data = dict(self.cleaned_data)
        return workflow.plan_communication(assignment=self.target, by=user, **data)


class HoldCommunicationForm(TransitionForm):
    title = _("登记沟通情况")
    communication = forms.ModelChoiceField(label=_("沟通"), queryset=Communication.objects.none())
    outcome = forms.CharField(label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 4}))
    on = forms.DateField(label=_("实际日期"), required=False, help_text=_("留空则为原定日期"),
                         widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        # Only this agency's planned contacts on this proposal: choices cannot name another's.
        planned = Communication.objects.of_work(target).planned()
        self.fields["communication"].queryset = planned
        only = list(planned[:2])
        if len(only) == 1:  # the usual case: the one call arranged is the one being recorded
            self.fields["communication"].initial = only[0].pk
            self.fields["communication"].empty_label = None

    def perform(self, user):
        data = self.cleaned_data
        return workflow.record_communication_held(communication=data["communication"], by=user,
                                                  outcome=data["outcome"], on=data["on"])


class CorrectCommunicationForm(TransitionForm):
    title = _("更正沟通记录")
    submit_label = _("确认更正")
    communication = forms.ModelChoiceField(label=_("沟通"), queryset=Communication.objects.none())
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("方式"), choices=Communication.Mode.choices)
    place = forms.CharField(label=_("地点"), required=False, max_length=200)
    outcome = forms.CharField(label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        # This agency's held contacts on this proposal only; the latest is the one usually corrected.
        held = Communication.objects.of_work(target).held().order_by("-date", "-pk")
        self.fields["communication"].queryset = held
        latest = held.first()
        if latest is not None and not self.is_bound:
            self.initial.update(communication=latest.pk, date=latest.date, mode=latest.mode, place=latest.place,
                                outcome=latest.outcome)

    def perform(self, user):
        data = dict(self.cleaned_data)
        return workflow.correct_communication(communication=data.pop("communication"), by=user, **data)


PROPOSAL_STEPS: dict[str, type[TransitionForm]] = {
    "accept": AcceptForm,
    "not_accept": NotAcceptForm,
    "merge": MergeForm,
    "refer": ReferForm,
    "withdraw": WithdrawForm,
    "assign": AssignForm,
    "close": CloseForm,
}

ASSIGNMENT_STEPS: dict[str, type[TransitionForm]] = {
    "sign_for": SignForForm,
    "request_reassignment": RequestReassignmentForm,
    "decide_reassignment": DecideReassignmentForm,
    "request_extension": RequestExtensionForm,
    "plan_communication": PlanCommunicationForm,
    "hold_communication": HoldCommunicationForm,
    "correct_communication": CorrectCommunicationForm,
}
