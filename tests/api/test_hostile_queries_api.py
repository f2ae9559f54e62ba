"""Every query parameter of every API list, sent hostile values, answers 200 or a 400 that names the
parameter, never a 500: empty terms and lone commas or dashes, unknown, private and `__` names,
10,000 terms, NUL characters, huge and odd integers. Unknown and repeated parameters are refused
the same way.

`make test` runs this file on PostgreSQL, `make test-sqlite` on SQLite (the embedded default),
where the driver fails on integers past 64 bits and PostgreSQL on NUL characters.
"""

from __future__ import annotations

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Kind, Notification
from replies import workflow as reply_workflow
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

# (path, whose client, its query parameters): every GET of the API that lists or looks rows up by query.
LISTS = [
    ("/api/v1/proposals/", "member", ["kind", "meeting", "ordering", "page", "page_size", "q", "status", "year"]),
    ("/api/v1/notifications/", "member", ["page", "page_size", "unread"]),
    ("/api/v1/submissions/", "member", ["page", "page_size"]),
    ("/api/v1/public/replies/", "public", ["agency", "meeting", "page", "page_size", "q", "year"]),
    ("/api/v1/public/figures/", "public", ["meeting"]),
]

HOSTILE_VALUES = [
    "", " ", ",", ",,", "-", "--", "-,", ",-", ",number", "number,,", "number,", ",number,", "number, year",
    "number,number", "-number,-number", "secret", "password", "_state", "pk", "id", "__class__", "__",
    "meeting__year", "-meeting__name", "proposers__member__phone", "number__isnull", "?", "%", "💥",
    ",".join(["number"] * 10_000), ",".join(f"field{n}" for n in range(10_000)), " ".join(["提案"] * 10_000),
    "\x00", "number\x00", "\x00number", "1\x00", "true\x00", "提案\x00",
    "9" * 40, "-" + "9" * 40, "9223372036854775808", "9" * 5_000, "0", "-1", "1.0", "1e309", "nan", "1_000",
    "²", "１２", "true", "maybe",
]


@pytest.fixture
def world(clerk, member_user, sent_reply, agency_staff):
    """Rows behind every list: the member's proposal with a sent, published reply and a notification."""
    reply_workflow.publish_reply(reply=sent_reply, by=agency_staff)
    Notification.objects.create(
        key="hostile:1", kind=Kind.ASSIGNED, stage_text="交办通知", channel="in_app", recipient=member_user,
        subject="交办通知", body="请留意办理进度。", proposal=sent_reply.assignment.proposal, state="sent",
        sent_at=timezone.now(),
    )
    return {"member": client_for(member_user), "public": client_for()}


def _problems(response, name: str) -> str | None:
    """What is wrong with one answer to a hostile `name`, or None: 200, or a 400 naming `name`."""
    if response.status_code == 200 or (name == "page" and response.status_code == 404):  # a page past the end
        return None
    if response.status_code != 400:
        return f"answered {response.status_code}"
    body = response.json()
    if body["code"] != "invalid" or name not in body.get("fields", {}):
        return f"400 without naming it: {str(body)[:200]}"
    if not all(f"“{name}”" in text for text in body["fields"][name]):
        return f"a message that does not name it: {body['fields'][name]}"
    return None


@pytest.mark.parametrize(("path", "who", "names"), LISTS, ids=[path for path, _who, _names in LISTS])
def test_hostile_query_values_answer_200_or_a_400_naming_the_parameter(world, path, who, names):
    client = world[who]
    failures = []
    for name in names:
        for value in HOSTILE_VALUES:
            problem = _problems(client.get(path, {name: value}), name)
            if problem:
                failures.append(f"{name}={value[:30]!r}: {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", [",", ",number", "number,,", "-", "number,-", "password", "meeting__year",
                                   "number,number", ",".join(["number"] * 10_000), "number\x00"])
def test_a_bad_ordering_is_a_400_naming_ordering_in_chinese_and_english(world, member_user, value):
    chinese = client_for(member_user).get("/api/v1/proposals/", {"ordering": value})
    english = client_for(member_user, language="en").get("/api/v1/proposals/", {"ordering": value})
    assert chinese.status_code == english.status_code == 400
    [zh] = chinese.json()["fields"]["ordering"]
    [en] = english.json()["fields"]["ordering"]
    assert zh.startswith("参数“ordering”：") and en.startswith("ordering: ")
    assert len(zh) < 200 and "\x00" not in zh  # never the whole hostile value back


@pytest.mark.parametrize("query", ["ordering=,", "ordering=meeting__year", "meeting__year=2026", "year=1&year=2",
                                   "kind=%00", "q=" + "x" * 101])
def test_a_refused_query_never_reaches_the_proposals_table(world, member_user, query):
    client = client_for(member_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/proposals/?{query}")
    assert response.status_code == 400
    assert not [q["sql"] for q in queries if "proposals_proposal" in q["sql"]]


def test_an_empty_term_is_named_as_such(world, member_user):
    response = client_for(member_user, language="en").get("/api/v1/proposals/?ordering=,")
    assert response.json()["fields"]["ordering"] == ["ordering: has an empty term (a stray comma)."]
    response = client_for(member_user).get("/api/v1/proposals/?ordering=number,,year")
    assert response.json()["fields"]["ordering"] == ["参数“ordering”：含有空项（多余的逗号）"]


def test_good_orderings_still_order(world, member_user, clerk):
    client = client_for(member_user)
    for value in ("number", "-number,year", "year,-created,submitted_on", "number,-number"):
        response = client.get("/api/v1/proposals/", {"ordering": value})
        assert response.status_code == 200, (value, response.content)


@pytest.mark.parametrize(("path", "who", "names"), LISTS, ids=[path for path, _who, _names in LISTS])
def test_unknown_parameters_are_refused_by_name(world, path, who, names):
    client = world[who]
    for unknown in ("ordering__", "meeting__year", "password", "__", "Year", "yaer", "x" * 5_000, "a\x00b"):
        response = client.get(path, {unknown: "1"})
        assert response.status_code == 400, (unknown[:20], response.status_code)
        [(shown, [text])] = response.json()["fields"].items()
        assert unknown.startswith(shown.rstrip("…").replace("�", "\x00")) and f"“{shown}”" in text


@pytest.mark.parametrize(("path", "who", "names"), LISTS, ids=[path for path, _who, _names in LISTS])
def test_a_parameter_given_twice_is_refused(world, path, who, names):
    for name in names:
        response = world[who].get(f"{path}?{name}=1&{name}=2")
        assert response.status_code == 400, name
        assert response.json()["fields"][name] == [f"参数“{name}”：只能给出一次"]


def test_the_table_covers_every_list_parameter_of_the_schema():
    """A new list, or a new parameter of one, must join the table above."""
    schema = yaml.safe_load(client_for().get("/api/schema/").content)
    documented = {
        (path, parameter["name"])
        for path, item in schema["paths"].items() if "get" in item and "{" not in path
        for parameter in item["get"].get("parameters", []) if parameter["in"] == "query"
    }
    tested = {(path, name) for path, _who, names in LISTS for name in names}
    assert documented == tested


def test_the_schema_says_ordering_takes_each_term_once():
    schema = yaml.safe_load(client_for().get("/api/schema/").content)
    [ordering] = [p for p in schema["paths"]["/api/v1/proposals/"]["get"]["parameters"] if p["name"] == "ordering"]
    assert ordering["schema"]["minItems"] == 1 and ordering["schema"]["uniqueItems"] is True
