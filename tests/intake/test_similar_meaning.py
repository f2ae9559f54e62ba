"""Similar proposals by meaning: the same request in other words ranks high, a title that merely
shares characters (a place, 加大…建设力度, 提高乡村…待遇) ranks low; on PostgreSQL (the topics' index
finds what the characters' index cannot) and on SQLite (every row in Python). A new agency starts
with the duty keywords of its kind, so a suggestion comes without any history."""

from __future__ import annotations

import io
import pickle
from collections import OrderedDict

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from intake.models import AgencyDuty
from intake.selectors import similar_proposals
from intake.similarity import SYNONYM_MIN, title_similarity, title_word_similarity
from intake.suggestions import RegionEvidence, suggest_lead_agencies
from intake.word_vectors import _PlainDataUnpickler, word_vectors
from tests.factories import AgencyFactory, MeetingFactory, accepted_proposal, registered_proposal

pytestmark = pytest.mark.django_db

# The same request, worded otherwise: few shared characters.
OTHER_WORDS = [
    ("关于规范网约车管理的提案", "关于加强网络预约出租汽车监管的建议"),
    ("关于加快背街小巷改造提升的建议", "关于推进老旧街巷环境整治的提案"),
    ("关于加强校外培训机构监管的建议", "关于规范课外辅导机构办学行为的提案"),
    ("关于推进适老化改造的提案", "关于改善困难老年人居家生活环境的建议"),
    ("关于增设路灯的提案", "关于完善农村道路照明设施的建议"),
]
# (a title, the same request in other words, another matter sharing many of its characters)
DUPLICATE_AND_LOOKALIKE = [
    ("关于提高乡村医生待遇的建议", "关于改善村医收入和养老保障的提案", "关于提高乡村教师待遇的建议"),
    ("关于加强公共停车场建设的建议", "关于加快城区停车设施建设的提案", "关于加强公共图书馆建设的建议"),
    ("关于帮助解决莲花塘村至布都村通村公路的建议", "关于尽快修通莲花塘至布都村级道路的提案", "关于帮助解决莲花塘村人畜饮水困难的建议"),
    ("关于进一步深化实施城市更新行动,推动高质量发展的建议", "关于加快推进城市有机更新的提案",
     "关于进一步深化实施乡村振兴战略,推动高质量发展的建议"),
    ("关于加大电动自行车充电设施建设力度的提案", "关于治理电动车飞线充电安全隐患的建议", "关于加大农村公路养护力度的提案"),
]

# The same request in words the topic vocabulary has no entry for (就医负担 and 看病贵, 殡葬 and 丧葬, 线虫病
# and 病害): found through the word vectors; and another matter sharing the title's characters.
NEAR_WORDS = [
    ("关于缓解看病难看病贵的提案", "关于减轻群众就医负担的建议", "关于缓解停车难停车贵的提案"),
    ("关于规范殡葬服务收费的提案", "关于整治丧葬服务乱收费的建议", "关于规范停车服务收费的提案"),
    ("关于防治松材线虫病的建议", "关于防治松树线虫病害的提案", "关于防治高血压病的建议"),
]

@pytest.mark.parametrize(("title", "other"), OTHER_WORDS)
def test_the_same_request_in_other_words_scores_high(title, other):
    assert title_similarity(title, other) >= 0.4


@pytest.mark.parametrize(("title", "duplicate", "lookalike"), DUPLICATE_AND_LOOKALIKE)
def test_a_lookalike_on_another_matter_scores_low_and_below_the_duplicate(title, duplicate, lookalike):
    assert title_similarity(title, lookalike) < 0.35
    assert title_similarity(title, duplicate) >= 2 * title_similarity(title, lookalike)
    assert title_similarity(title, duplicate) >= 0.6


@pytest.mark.parametrize(("title", "duplicate", "lookalike"), NEAR_WORDS)
def test_words_near_in_meaning_count_as_shared_and_a_lookalike_stays_low(title, duplicate, lookalike):
    assert title_similarity(title, duplicate) >= 0.4
    assert title_similarity(title, lookalike) < 0.35
    assert title_similarity(title, duplicate) >= title_similarity(title, lookalike) + 0.15
    assert title_similarity(title, duplicate) > title_word_similarity(title, duplicate)  # the vectors' part


def test_the_word_vectors_ship_in_a_package_and_tell_near_words_from_merely_related_ones():
    vectors = word_vectors()

    def cosine(a, b):
        return float(vectors.vector(a) @ vectors.vector(b))

    assert cosine("殡葬", "丧葬") >= SYNONYM_MIN and cosine("内涝", "防涝") >= SYNONYM_MIN
    assert cosine("儿童", "老人") < SYNONYM_MIN and cosine("医生", "教师") < SYNONYM_MIN
    assert vectors.vector("托育点") is not None  # an unknown word is read through its parts


def test_the_vectors_file_is_read_as_plain_data_and_nothing_else():
    assert _PlainDataUnpickler(io.BytesIO(pickle.dumps((["的 0.1"], {}, {})))).load() == (["的 0.1"], {}, {})
    with pytest.raises(pickle.UnpicklingError):
        _PlainDataUnpickler(io.BytesIO(pickle.dumps(OrderedDict()))).load()


def test_the_genre_words_weigh_nothing_and_the_object_most():
    assert title_similarity("关于加强停车场建设的建议", "停车场") == 1.0
    assert title_similarity("关于进一步加快推进我市建设工作的提案", "关于加大建设力度的建议") == 0.0


@pytest.fixture
def earlier_titles(clerk):
    """An earlier meeting with both kinds of pair's other halves; this meeting's proposals."""
    earlier, current = MeetingFactory(year=2025, session=1), MeetingFactory(year=2026, session=2)
    others = [other for _, other in OTHER_WORDS] + [t for _, *pair in DUPLICATE_AND_LOOKALIKE for t in pair]
    made = {other: registered_proposal(by=clerk, meeting=earlier, title=other) for other in others}
    for n in range(30):  # filler sharing the genre's characters, so the index has something to skip
        registered_proposal(by=clerk, meeting=earlier, title=f"关于加强第{n}号片区建设工作的建议")
    return {"earlier": earlier, "current": current, "made": made}


@pytest.mark.parametrize(("title", "other"), OTHER_WORDS)
def test_the_list_puts_the_same_request_first(clerk, earlier_titles, title, other):
    proposal = registered_proposal(by=clerk, meeting=earlier_titles["current"], title=title)
    found = similar_proposals(proposal)
    assert found and found[0].proposal == earlier_titles["made"][other]
    assert "标题相近" in found[0].parts


@pytest.mark.parametrize(("title", "duplicate", "lookalike"), DUPLICATE_AND_LOOKALIKE)
def test_the_list_puts_the_duplicate_above_the_lookalike(clerk, earlier_titles, title, duplicate, lookalike):
    proposal = registered_proposal(by=clerk, meeting=earlier_titles["current"], title=title)
    found = [s.proposal for s in similar_proposals(proposal)]
    made = earlier_titles["made"]
    assert found[0] == made[duplicate]
    assert made[lookalike] not in found[:1]


@pytest.mark.parametrize(("title", "duplicate", "lookalike"), NEAR_WORDS)
def test_the_list_puts_the_request_in_near_words_above_the_lookalike(clerk, title, duplicate, lookalike):
    earlier, current = MeetingFactory(year=2025, session=1), MeetingFactory(year=2026, session=2)
    made = {other: registered_proposal(by=clerk, meeting=earlier, title=other)
            for other in [t for _, *pair in NEAR_WORDS for t in pair]}
    for n in range(30):
        registered_proposal(by=clerk, meeting=earlier, title=f"关于加强第{n}号片区建设工作的建议")
    proposal = registered_proposal(by=clerk, meeting=current, title=title)
    found = [s.proposal for s in similar_proposals(proposal)]
    assert found[0] == made[duplicate]
    assert made[lookalike] not in found[:1]


def test_a_new_agency_reads_the_keywords_of_its_kind_until_the_office_keeps_its_own():
    transport = AgencyFactory(name="平江县交通运输局")
    evidence = RegionEvidence(transport.region)
    assert {"公交", "网约车"} <= set(evidence.keywords[transport])
    assert not AgencyDuty.objects.filter(agency=transport).exists()  # nothing written until edited
    AgencyDuty.objects.create(agency=transport, keywords="公交、班车")
    assert RegionEvidence(transport.region).keywords[transport] == ["公交", "班车"]


def test_without_history_the_starting_keywords_suggest_a_lead_by_meaning(clerk):
    meeting = MeetingFactory(year=2026, session=1)
    transport = AgencyFactory(name="广州市交通运输局")
    AgencyFactory(name="广州市教育局")
    proposal = accepted_proposal(by=clerk, meeting=meeting, title="关于加强网络预约出租汽车监管的建议")
    first = suggest_lead_agencies(proposal)[0]
    assert first.agency == transport
    assert first.reasons == ["案由所涉“出租车”属于广州市交通运输局职责"]


def test_the_page_says_what_a_suggestion_is_based_on_when_there_is_none(client, clerk):
    proposal = accepted_proposal(by=clerk, meeting=MeetingFactory(), title="关于发展低空经济的提案")
    client.force_login(clerk)
    page = client.get(reverse("admin:intake_similar", args=[proposal.pk])).content.decode()
    assert "建议依据" in page and "暂无建议" in page and "职责关键词" in page


def test_the_first_batch_assignment_suggests_a_lead_without_any_keyword_typed(client, clerk):
    """A new office: agencies just entered, no history, no keyword typed by anyone."""
    meeting = MeetingFactory(year=2026, session=1)
    AgencyFactory(name="广州市交通运输局")
    AgencyFactory(name="广州市教育局")
    suggested = accepted_proposal(by=clerk, meeting=meeting, title="关于规范网约车管理的提案")
    none = accepted_proposal(by=clerk, meeting=meeting, title="关于发展低空经济的提案")
    client.force_login(clerk)
    page = client.post(reverse("admin:proposals_proposal_changelist"),
                       {"action": "assign_selected", helpers.ACTION_CHECKBOX_NAME: [suggested.pk, none.pk]})
    html = page.content.decode()
    assert "案由所涉“出租车”属于广州市交通运输局职责" in html
    assert "建议依据" in html and html.count("暂无建议") == 1


def test_the_agency_page_shows_the_starting_keywords_for_the_office_to_edit(admin_client):
    transport = AgencyFactory(name="平江县交通运输局")
    page = admin_client.get(reverse("admin:proposals_agency_change", args=[transport.pk])).content.decode()
    assert "公交、" in page and "网约车" in page
    assert not AgencyDuty.objects.filter(agency=transport).exists()
