"""Demo accounts and a demo meeting whose proposals stand at different stages (development only)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from proposals import access, workflow
from proposals.deadlines import compute_deadlines
from proposals.models import (
    Agency,
    AgencyAlias,
    AgencyStaff,
    Assignment,
    Body,
    Communication,
    Meeting,
    Member,
    NotAcceptGround,
    Proposal,
)
from replies import workflow as reply_workflow
from replies.models import LetterSettings, Rating

REGION = "广州市"
# Stages reached through replies.workflow after the proposal is assigned.
REPLY_STAGES = ("replied", "rated", "reply_in_review")
AGENCIES = {
    "广州市科学技术局": ["市科技局", "科技局"],
    "广州市发展和改革委员会": ["市发展改革委", "市发改委"],
    "广州市工业和信息化局": ["市工业和信息化局", "市工信局"],
    "广州市教育局": ["市教育局"],
}
SCIENCE = "广州市科学技术局"

# username: (group, display name, member name or None)
ACCOUNTS = {
    "clerk": (access.CLERK, "提案办 王敏", None),
    "agency": (access.AGENCY_STAFF, "科技局经办人 陈晓", None),
    "reviewer": (access.AGENCY_REVIEWER, "科技局负责人 刘强", None),
    "member": (access.MEMBER, "张明", "张明"),
    "member2": (access.MEMBER, "李华", "李华"),
}


def assigned_on_for_due(meeting: Meeting, due_on: dt.date) -> dt.date:
    """An assignment date whose lead reply falls due on `due_on` (or the nearest working day)."""
    for days_back in range(80, 100):
        candidate = due_on - dt.timedelta(days=days_back)
        deadlines = compute_deadlines(meeting=meeting, role=Assignment.Role.LEAD, assigned_on=candidate)
        if deadlines.due_on == due_on:
            return candidate
    return due_on - dt.timedelta(days=90)


class Command(BaseCommand):
    help = "Create demo users (clerk, agency, reviewer, member, member2) and a demo meeting. DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345")

    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError("create_demo_accounts 仅用于开发环境 （DEBUG=1） / refuses to run with DEBUG off.")
        with transaction.atomic():
            agencies = self._agencies()
            users = self._users(password, agencies[SCIENCE])
            created = self._demo_meeting(users, agencies)
        self.stdout.write("Demo accounts (password: %s):" % password)
        for username, (group, display, _) in ACCOUNTS.items():
            self.stdout.write(f"  {username:<9} {group:<16} {display}")
        self.stdout.write(f"Demo meeting: {created} new proposals.")

    def _agencies(self) -> dict[str, Agency]:
        agencies = {}
        for name, aliases in AGENCIES.items():
            agency, _ = Agency.objects.get_or_create(name=name, defaults={"region": REGION})
            for alias in aliases:
                AgencyAlias.objects.get_or_create(region=REGION, alias=alias, defaults={"agency": agency})
            agencies[name] = agency
        # The science bureau numbers its letters 穗科函〔年〕N号 and prints its own contact line.
        LetterSettings.objects.get_or_create(
            agency=agencies[SCIENCE],
            defaults={"number_prefix": "穗科函", "contact_person": "陈晓", "contact_phone": "83124132"},
        )
        return agencies

    def _users(self, password: str, science: Agency) -> dict:
        User = get_user_model()
        users = {}
        for username, (group, display, member_name) in ACCOUNTS.items():
            user, _ = User.objects.get_or_create(username=username)
            # The real name (family name first), never the role label the command prints beside it.
            real_name = display.split()[-1]
            user.last_name, user.first_name = real_name[0], real_name[1:]
            user.is_staff = group != access.MEMBER
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            if group in (access.AGENCY_STAFF, access.AGENCY_REVIEWER):
                AgencyStaff.objects.update_or_create(user=user, defaults={"agency": science})
            if member_name:
                Member.objects.update_or_create(
                    user=user, defaults={"name": member_name, "body": Body.CPPCC, "region": REGION,
                                         "email": f"{username}@example.org"},
                )
            users[username] = User.objects.get(pk=user.pk)
        return users

    def _demo_meeting(self, users, agencies) -> int:
        meeting, _ = Meeting.objects.get_or_create(
            body=Body.CPPCC, region=REGION, term=14, session=5,
            defaults={"name": "政协第十四届广州市委员会第五次会议（演示）", "year": 2026, "opened_on": dt.date(2026, 1, 10)},
        )
        clerk, agency_user = users["clerk"], users["agency"]
        member, member2 = users["member"].member, users["member2"].member
        science = agencies[SCIENCE]
        reform, industry = agencies["广州市发展和改革委员会"], agencies["广州市工业和信息化局"]
        today = timezone.localdate()
        plans = [
            ("1001", "关于加快建设人工智能公共算力平台的提案", [member, member2], "submitted", {}),
            ("1002", "关于支持高校科技成果就地转化的提案", [member], "assigned",
             {"lead": science, "assisting": [reform], "on": today - dt.timedelta(days=3)}),
            ("1003", "关于完善自动驾驶道路测试管理的提案", [member], "in_progress",
             {"lead": science, "assisting": [industry], "on": today - dt.timedelta(days=40)}),
            ("1004", "关于优化科技型中小企业研发费用补助的提案", [member, member2], "in_progress",
             {"lead": science, "on": dt.date(2026, 6, 1)}),
            ("2001", "关于推进中小学人工智能教育的提案", [member2], "accepted", {}),
            ("2002", "关于培育智能网联汽车产业集群的提案", [member2, member], "in_progress",
             {"lead": industry, "assisting": [science], "on": today - dt.timedelta(days=20)}),
            ("2003", "关于推广本人所在企业产品的提案", [member2], "not_accepted", {}),
            # Replies at three stages, walked through the replies workflow.
            ("1005", "关于加快科技企业孵化器提质增效的提案", [member], "replied",
             {"lead": science, "on": today - dt.timedelta(days=70)}),
            ("1006", "关于推行科研经费“包干制”改革的提案", [member, member2], "rated",
             {"lead": science, "assisting": [reform], "on": today - dt.timedelta(days=90)}),
            ("1007", "关于建设粤港澳大湾区科技成果转化平台的提案", [member2], "reply_in_review",
             {"lead": science, "on": today - dt.timedelta(days=30)}),
            # Due in exactly 7 days, so the agency sees a "7 days before" reminder on the first sweep.
            ("1008", "关于完善首台（套）重大技术装备保险补偿的提案", [member], "in_progress",
             {"lead": science, "on": assigned_on_for_due(meeting, today + dt.timedelta(days=7))}),
        ]
        created = 0
        for number, title, proposers, stage, assignment in plans:
            if Proposal.objects.filter(meeting=meeting, number=number).exists():
                continue
            proposal = workflow.register_proposal(
                meeting=meeting, number=number, title=title, proposers=proposers, by=clerk,
                category=Proposal.Category.SCIENCE, submitted_on=dt.date(2026, 1, 12),
            )
            self._advance(proposal, stage, assignment, clerk, agency_user)
            if stage in REPLY_STAGES:
                self._reply(proposal, stage, users)
            created += 1
        return created

    def _reply(self, proposal, stage, users):
        """Sign for the lead assignment, meet the proposers, draft, review, send and rate."""
        staff, reviewer = users["agency"], users["reviewer"]
        lead = proposal.assignments.get(role=Assignment.Role.LEAD)
        lead = workflow.sign_for_assignment(assignment=lead, by=staff)
        contact = workflow.plan_communication(
            assignment=lead, by=staff, mode=Communication.Mode.FACE_TO_FACE, date=lead.assigned_on + dt.timedelta(days=10),
            place="市科技局会议室", members=[p.member for p in proposal.proposers.all()],
        )
        workflow.record_communication_held(communication=contact, by=staff, outcome="与提出人当面座谈，听取具体意见。")
        names = "、".join(p.member.name for p in proposal.proposers.order_by("order"))
        reply = reply_workflow.draft_reply(
            assignment=lead, by=staff,
            title=f"广州市科学技术局关于{proposal.meeting.name}第{proposal.number}号提案答复的函",
            addressee=f"{names}委员",
            body=(f"您提出的《{proposal.title}》（第{proposal.number}号）收悉。我局高度重视，认真研究办理，"
                  "并与您当面进行了座谈交流。现将办理有关情况答复如下：\n"
                  "一、有关工作开展情况\n我市已出台相关扶持措施，逐步完善配套政策。\n"
                  "二、下一步工作计划\n我局将会同有关部门继续推进相关工作。\n"
                  "感谢您对我市科技工作的关心和支持，欢迎继续提出宝贵意见和建议。"),
            document_number=f"穗科函〔{timezone.localdate().year}〕{proposal.number}号",
            contact_person="陈晓", contact_phone="83124132", category="A" if stage != "rated" else "B",
        )
        # The demo's assisting agencies have no staff to send an opinion: the office waives it.
        for assisting in proposal.assignments.filter(role=Assignment.Role.ASSISTING):
            reply_workflow.waive_opinion(assignment=assisting, by=users["clerk"], reason="会办单位表示无补充意见（演示）")
        reply = reply_workflow.submit_reply(reply=reply, by=staff)
        if stage == "reply_in_review":
            return
        reply = reply_workflow.sign_off_reply(reply=reply, by=reviewer)
        reply_workflow.send_reply(reply=reply, by=staff)
        if stage == "rated":
            for proposer in proposal.proposers.select_related("member__user"):
                reply_workflow.record_feedback(
                    proposal=proposal, member=proposer.member, attitude=Rating.SATISFIED,
                    result=Rating.BASICALLY_SATISFIED, comments="办理认真，答复具体。", by=proposer.member.user,
                )

    def _advance(self, proposal, stage, assignment, clerk, agency_user):
        if stage == "submitted":
            return
        if stage == "not_accepted":
            ground = NotAcceptGround.objects.filter(text__contains="推介").first() or NotAcceptGround.objects.first()
            workflow.not_accept_proposal(proposal=proposal, ground=ground, reason="内容为推介具体企业产品。", by=clerk)
            return
        workflow.accept_proposal(proposal=proposal, by=clerk)
        if stage == "accepted":
            return
        workflow.assign_proposal(proposal=proposal, by=clerk, **assignment)
        if stage == "in_progress":
            for item in proposal.assignments.filter(role=Assignment.Role.LEAD, agency=access.agency_of(agency_user)):
                workflow.sign_for_assignment(assignment=item, by=agency_user)
