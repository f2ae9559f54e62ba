"""The proposal domain: meetings, members, agencies, proposals, assignments and their timeline.

Models hold data and the invariants the database can keep. Every status change goes through
proposals.workflow, which also writes the Event.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q
from django.utils.translation import gettext_lazy as _


def chinese_numeral(value: int) -> str:
    """1–99 as written in a meeting's name: 十四届, 二十一届, 一次 (no term or session reaches 100)."""
    digits = "零一二三四五六七八九"
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if not tens:
        return digits[ones]
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


class Body(models.TextChoices):
    CPPCC = "cppcc", _("政协")
    NPC = "npc", _("人大")


class RuleSet(models.Model):
    """An office's handling rules (docs/domain.md, deadlines); a meeting may use its own set.

    The defaults are the common ones: Representatives Law arts. 51-52 and the provincial and
    city rules most offices copy.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    is_default = models.BooleanField(_("本办默认规则"), default=False)
    reply_months = models.PositiveSmallIntegerField(_("答复期限（月）"), default=3)
    assisting_months = models.PositiveSmallIntegerField(_("会办意见期限（月）"), default=1)
    extension_max_months = models.PositiveSmallIntegerField(_("单次延期上限（月）"), default=3)
    hard_limit_months = models.PositiveSmallIntegerField(_("自交办起最长期限（月）"), default=6)
    reassignment_window_workdays = models.PositiveSmallIntegerField(_("申请调整期限（工作日）"), default=7)
    communication_workdays = models.PositiveSmallIntegerField(_("办前沟通期限（工作日）"), default=15)
    rehandling_months = models.PositiveSmallIntegerField(_("重新办理期限（月）"), default=1)
    feedback_window_workdays = models.PositiveSmallIntegerField(_("征询意见期限（工作日）"), default=15)
    publication_workdays = models.PositiveSmallIntegerField(_("主动公开期限（工作日）"), default=20)
    reassignment_stops_clock = models.BooleanField(
        _("申请调整期间停止计时"), default=False, help_text=_("调整申请被驳回时，答复期限顺延申请期间的工作日数")
    )

    class Meta:
        verbose_name = _("办理规则")
        verbose_name_plural = _("办理规则")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_ruleset"),
        ]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    body = models.CharField(_("机构"), max_length=8, choices=Body.choices)
    region = models.CharField(_("地区"), max_length=50, help_text=_("如：广州市"))
    term = models.PositiveSmallIntegerField(_("届"))
    session = models.PositiveSmallIntegerField(_("次"))
    name = models.CharField(_("会议名称"), max_length=200, help_text=_("如：政协十四届广州市委员会第一次会议"))
    year = models.PositiveSmallIntegerField(_("年度"))
    opened_on = models.DateField(_("开幕日期"), null=True, blank=True)
    rules = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("办理规则"),
        help_text=_("留空则使用本办默认规则"),
    )
    reply_by = models.DateField(
        _("统一答复截止日"), null=True, blank=True, help_text=_("如本次会议规定“6月30日前答复”，与法定期限取较早者")
    )

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-year", "body", "region"]
        constraints = [
            models.UniqueConstraint(fields=["body", "region", "term", "session"], name="unique_meeting_per_body"),
        ]

    def __str__(self):
        return self.name

    @property
    def short_name(self) -> str:
        """政协十四届一次会议: the meeting as an office names it before a number (第1008号), since every
        meeting numbers from the start again."""
        return f"{self.get_body_display()}{chinese_numeral(self.term)}届{chinese_numeral(self.session)}次会议"


class Member(models.Model):
    """A CPPCC member (委员), an NPC deputy (代表), or a group that files as one (党派团体, 界别, 代表团)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        GROUP = "group", _("团体")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="member", verbose_name=_("登录账号"),
    )
    name = models.CharField(_("姓名或名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.PERSON)
    body = models.CharField(_("机构"), max_length=8, choices=Body.choices)
    region = models.CharField(_("地区"), max_length=50)
    sector = models.CharField(_("界别或代表团"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("委员/代表")
        verbose_name_plural = _("委员/代表")
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "body", "name"], name="member_lookup_by_name")]

    def __str__(self):
        return self.name


class Agency(models.Model):
    name = models.CharField(_("全称"), max_length=100, unique=True, help_text=_("如：广州市科学技术局"))
    region = models.CharField(_("地区"), max_length=50)
    email = models.EmailField(_("办理联络邮箱"), blank=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyAlias(models.Model):
    """A short name people write for an agency (市科技局, 科技局), unique within a region."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("承办单位"))
    region = models.CharField(_("地区"), max_length=50)
    alias = models.CharField(_("简称"), max_length=100)

    class Meta:
        verbose_name = _("简称")
        verbose_name_plural = _("简称")
        constraints = [models.UniqueConstraint(fields=["region", "alias"], name="unique_alias_per_region")]

    def __str__(self):
        return self.alias


class AgencyStaff(models.Model):
    """Links a staff user to the one agency whose work they see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_staff", verbose_name=_("用户")
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff", verbose_name=_("承办单位"))

    class Meta:
        verbose_name = _("承办单位人员")
        verbose_name_plural = _("承办单位人员")

    def __str__(self):
        return f"{self.agency} / {self.user}"


class NotAcceptGround(models.Model):
    """One of the office's listed grounds for not accepting a proposal (不予立案)."""

    text = models.CharField(_("不予立案情形"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("不予立案情形")
        verbose_name_plural = _("不予立案情形")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class Proposal(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("提案")
        SUGGESTION = "suggestion", _("建议")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审查")
        ACCEPTED = "accepted", _("已立案")
        NOT_ACCEPTED = "not_accepted", _("不予立案")
        MERGED = "merged", _("已并案")
        REFERRED = "referred", _("转有关方面参考")
        WITHDRAWN = "withdrawn", _("已撤回")
        ASSIGNED = "assigned", _("已交办")
        IN_PROGRESS = "in_progress", _("办理中")
        REPLIED = "replied", _("已答复")
        EVALUATED = "evaluated", _("已评价")
        REHANDLING = "rehandling", _("重新办理")
        CLOSED = "closed", _("已办结")

    class Category(models.TextChoices):
        ECONOMY = "economy", _("经济")
        SCIENCE = "science", _("科技")
        EDUCATION = "education", _("教育")
        CULTURE = "culture", _("文化")
        HEALTH = "health", _("卫生健康")
        SOCIAL = "social", _("社会事业")
        URBAN = "urban", _("城乡建设")
        ENVIRONMENT = "environment", _("生态环境")
        AGRICULTURE = "agriculture", _("农业农村")
        LAW = "law", _("政法")
        OTHER = "other", _("其他")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("会议"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.PROPOSAL)
    number = models.CharField(_("编号"), max_length=20, help_text=_("按原文书写的数字，如 2053"))
    title = models.CharField(_("案由"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.OTHER)
    is_key = models.BooleanField(_("重点提案/建议"), default=False)
    is_historical = models.BooleanField(_("历史记录"), default=False, help_text=_("导入的往年记录：已办结，不发提醒"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, editable=False)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1, editable=False)
    not_accept_ground = models.ForeignKey(
        NotAcceptGround, on_delete=models.PROTECT, null=True, blank=True, editable=False, verbose_name=_("不予立案情形")
    )
    review_note = models.TextField(_("审查意见"), blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="merged_from", verbose_name=_("并入"),
    )
    referred_to = models.CharField(_("转交对象"), max_length=200, blank=True, editable=False)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案/建议")
        verbose_name_plural = _("提案/建议")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_number_per_meeting"),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="merged_proposal_names_target"
            ),
        ]
        indexes = [models.Index(fields=["status", "meeting"], name="proposal_by_status")]

    def __str__(self):
        return f"{self.number_label} {self.title}"

    @property
    def number_label(self) -> str:
        """The number with its meeting (政协十四届一次会议第1008号), wherever a number stands alone:
        two meetings both have a 第1008号. Callers listing many select_related("meeting")."""
        return f"{self.meeting.short_name}第{self.number}号"


class Proposer(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposers", verbose_name=_("提案/建议"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="proposals_signed", verbose_name=_("提出人"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    is_lead = models.BooleanField(_("领衔"), default=False)

    class Meta:
        verbose_name = _("提出人")
        verbose_name_plural = _("提出人")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="member_signs_once"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(is_lead=True), name="one_lead_proposer"),
        ]

    def __str__(self):
        return self.member.name


class AssignmentQuerySet(models.QuerySet):
    """The questions asked of assignments everywhere, each stated once."""

    def open(self):
        """Work still to do: pending, signed for, or with a reassignment request pending."""
        return self.filter(state__in=Assignment.OPEN_STATES)

    def current(self):
        """The agencies that hold the work, done or not: neither reassigned to another nor cancelled."""
        return self.exclude(state__in=[Assignment.State.REASSIGNED, Assignment.State.CANCELLED])


class Assignment(models.Model):
    """One agency's duty on one proposal (交办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        JOINT = "joint", _("分办")
        ASSISTING = "assisting", _("会办")

    class State(models.TextChoices):
        PENDING = "pending", _("待签收")
        ACCEPTED = "accepted", _("已签收")
        REASSIGNMENT_REQUESTED = "reassignment_requested", _("申请调整")
        REPLIED = "replied", _("已答复")
        OPINION_SENT = "opinion_sent", _("已提交会办意见")
        REASSIGNED = "reassigned", _("已调整")
        CANCELLED = "cancelled", _("已取消")

    OPEN_STATES = (State.PENDING, State.ACCEPTED, State.REASSIGNMENT_REQUESTED)
    ACTIVE_STATES = OPEN_STATES + (State.REPLIED, State.OPINION_SENT)

    objects = AssignmentQuerySet.as_manager()

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("提案/建议"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("承办单位"))
    role = models.CharField(_("承办方式"), max_length=10, choices=Role.choices)
    state = models.CharField(_("状态"), max_length=24, choices=State.choices, default=State.PENDING, editable=False)
    # Dates are unknown (null) only on historical records imported from published letters.
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    due_on = models.DateField(_("答复/意见期限"), null=True, blank=True, help_text=_("含已批准的延期"))
    due_provisional = models.BooleanField(
        _("期限待定"), default=False, help_text=_("该年节假日安排尚未公布，期限按法定节日推算")
    )
    reassignment_window_ends_on = models.DateField(_("申请调整截止日"), null=True, blank=True)
    communication_due_on = models.DateField(_("办前沟通截止日"), null=True, blank=True)
    extended_to = models.DateField(_("延期至"), null=True, blank=True, editable=False)
    rehandling_started_on = models.DateField(
        _("重新办理开始日期"), null=True, blank=True, editable=False, help_text=_("重新办理轮次的期限由此起算")
    )
    paused_workdays = models.PositiveSmallIntegerField(
        _("停止计时工作日数"), default=0, editable=False, help_text=_("调整申请被驳回时顺延的工作日")
    )
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("签收人"),
    )
    state_before_request = models.CharField(max_length=24, blank=True, editable=False)
    reassignment_requested_on = models.DateField(null=True, blank=True, editable=False)
    reassignment_reason = models.TextField(_("调整理由"), blank=True, editable=False)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role="lead") & ~Q(state__in=["reassigned", "cancelled"]),
                name="one_lead_assignment",
            ),
            models.UniqueConstraint(
                fields=["proposal", "agency"],
                condition=~Q(state__in=["reassigned", "cancelled"]),
                name="agency_assigned_once",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=False, assigned_on__isnull=False)
                | ~Q(state__in=["pending", "accepted", "reassignment_requested"]),
                name="open_assignment_has_dates",
            ),
        ]
        indexes = [
            # The reminder sweep: open assignments by due date. Partial, so it stays small as the
            # archive grows (docs/domain.md).
            models.Index(
                fields=["due_on"],
                condition=Q(state__in=["pending", "accepted", "reassignment_requested"]),
                name="open_assignment_due",
            ),
            models.Index(fields=["agency", "state"], name="assignment_by_agency"),
            # Member notices of a new assignment: assignments made in the last days.
            models.Index(
                fields=["assigned_on"],
                condition=Q(state__in=["pending", "accepted", "reassignment_requested", "replied", "opinion_sent"]),
                name="notif_assignment_assigned_on",
            ),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.agency}（{self.get_role_display()}）"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Extension(models.Model):
    """A request for more time (延期), decided by a clerk."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("交办"))
    reason = models.TextField(_("延期理由"))
    requested_until = models.DateField(_("申请延期至"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REQUESTED, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(state="requested"), name="one_open_extension_request"
            ),
        ]
        indexes = [
            models.Index(fields=["requested_at"], condition=Q(state="requested"), name="open_extension_requests"),
        ]

    def __str__(self):
        return f"{self.assignment} → {self.requested_until}"


class CommunicationQuerySet(models.QuerySet):
    """Contacts with the proposers, asked about one agency's work on one proposal."""

    def of_work(self, assignment=None):
        """The contacts of an assignment's agency on its proposal; without an assignment, of the
        assignment row an outer query reads (for Exists and Subquery over assignments)."""
        if assignment is None:
            return self.filter(proposal_id=OuterRef("proposal_id"), agency_id=OuterRef("agency_id"))
        return self.filter(proposal_id=assignment.proposal_id, agency_id=assignment.agency_id)

    def held(self):
        return self.filter(state=Communication.State.HELD)

    def planned(self):
        return self.filter(state=Communication.State.PLANNED)


class Communication(models.Model):
    """A contact between the agency and the proposers (办前/办中沟通, 面商, 座谈)."""

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("当面沟通/座谈")
        PHONE = "phone", _("电话")
        LETTER = "letter", _("书面")
        ONLINE = "online", _("网络/视频")

    class State(models.TextChoices):
        PLANNED = "planned", _("已安排")
        HELD = "held", _("已开展")
        CANCELLED = "cancelled", _("已取消")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="communications", verbose_name=_("提案/建议"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="communications", verbose_name=_("承办单位"))
    mode = models.CharField(_("方式"), max_length=16, choices=Mode.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PLANNED)
    date = models.DateField(_("日期"))
    time = models.TimeField(_("时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    agenda = models.TextField(_("议题"), blank=True)
    agency_participants = models.TextField(_("承办单位参加人员"), blank=True)
    members = models.ManyToManyField(Member, blank=True, related_name="communications", verbose_name=_("参加的委员/代表"))
    outcome = models.TextField(_("沟通情况"), blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    objects = CommunicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("沟通")
        verbose_name_plural = _("沟通")
        ordering = ["date", "time"]
        indexes = [
            # Meeting invitations and the day-before reminder: planned contacts by date.
            models.Index(fields=["date"], condition=Q(state="planned"), name="notif_planned_communication"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_mode_display()}"


class CommunicationAttachment(models.Model):
    communication = models.ForeignKey(
        Communication, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("沟通")
    )
    file = models.FileField(_("文件"), upload_to="communications/%Y/")
    title = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如：4月14日-与张建山委员见面沟通.jpg"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.title or self.file.name


class Event(models.Model):
    """Append-only timeline entry (办理过程): who did what, when, from which state to which."""

    class Action(models.TextChoices):
        REGISTER = "register", _("登记")
        EDIT = "edit", _("修改登记信息")
        ACCEPT = "accept", _("立案")
        NOT_ACCEPT = "not_accept", _("不予立案")
        MERGE = "merge", _("并案")
        MERGED_IN = "merged_in", _("并入其他提案")
        REFER = "refer", _("转有关方面参考")
        WITHDRAW = "withdraw", _("撤回")
        ASSIGN = "assign", _("交办")
        SIGN_FOR = "sign_for", _("签收")
        REQUEST_REASSIGNMENT = "request_reassignment", _("申请调整")
        REASSIGN = "reassign", _("同意调整")
        REFUSE_REASSIGNMENT = "refuse_reassignment", _("不同意调整")
        REQUEST_EXTENSION = "request_extension", _("申请延期")
        APPROVE_EXTENSION = "approve_extension", _("批准延期")
        REFUSE_EXTENSION = "refuse_extension", _("不批准延期")
        RECOMPUTE_DEADLINE = "recompute_deadline", _("期限重新计算")
        PLAN_COMMUNICATION = "plan_communication", _("安排沟通")
        HOLD_COMMUNICATION = "hold_communication", _("开展沟通")
        CANCEL_COMMUNICATION = "cancel_communication", _("取消沟通")
        REMIND_OPINION = "remind_opinion", _("催办会办意见")
        REQUEST_OPINION_WAIVER = "request_opinion_waiver", _("申请不待会办意见")
        WAIVE_OPINION = "waive_opinion", _("同意不待会办意见")
        REFUSE_OPINION_WAIVER = "refuse_opinion_waiver", _("不同意不待会办意见")
        REPLY = "reply", _("答复")
        EVALUATE = "evaluate", _("评价")
        REHANDLE = "rehandle", _("重新办理")
        CLOSE = "close", _("办结")
        IMPORT = "import", _("导入历史记录")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("提案/建议"))
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="events", verbose_name=_("交办")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=40, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=24, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理过程")
        verbose_name_plural = _("办理过程")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Events are append-only / 办理过程记录不可修改")
        super().save(*args, **kwargs)
