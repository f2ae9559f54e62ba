"""Demo accounts and a demo meeting whose proposals stand at different stages (development only)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from proposals import access, workflow
from proposals.models import Agency, AgencyAlias, AgencyStaff, Assignment, Body, Meeting, Member, NotAcceptGround, Proposal

REGION = "广州市"
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


class Command(BaseCommand):
    help = "Create demo users (clerk, agency, reviewer, member, member2) and a demo meeting. DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345")

    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError("create_demo_accounts 仅用于开发环境 (DEBUG=1) / refuses to run with DEBUG off.")
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
        return agencies

    def _users(self, password: str, science: Agency) -> dict:
        User = get_user_model()
        users = {}
        for username, (group, display, member_name) in ACCOUNTS.items():
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = display
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
            defaults={"name": "政协第十四届广州市委员会第五次会议(演示)", "year": 2026, "opened_on": dt.date(2026, 1, 10)},
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
            created += 1
        return created

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
