"""`python manage.py seed_duty_keywords --region 广州市`: give each of the region's agencies that has
no duty keywords yet the starting words of its kind (intake/duty_defaults.py). Never overwrites."""

from django.core.management.base import BaseCommand

from intake.agencies import agencies_of_region
from intake.models import AgencyDuty
from intake.services.duties import give_starting_keywords


class Command(BaseCommand):
    help = "为本地区尚无职责关键词的承办单位填入按单位类型的初始关键词（不覆盖已有的）"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="地区，如：广州市")

    def handle(self, *args, region, **options):
        have = AgencyDuty.objects.filter(agency__region=region).count()
        given = give_starting_keywords(agencies_of_region(region))
        self.stdout.write(f"已为 {given} 个承办单位填入初始职责关键词（已有关键词的 {have} 个未改动）")
