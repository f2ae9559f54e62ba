"""What every endpoint of the API shares: errors, rendering, paging, filters, permissions, throttles.

Errors are JSON `{code, detail, fields?}`: `code` is stable for client code, `detail` is for people,
in Chinese or English after Accept-Language (LocaleMiddleware has activated the language), and
`fields` maps each bad input field to its messages. Objects that exist but are not the caller's
answer 404, exactly as objects that do not exist (never 403: a 403 would confirm the id); the
views get them through the proposals.access helpers, so there is nothing else to leak.

Input is what the schema declares and nothing else: a query parameter or body field an operation
does not take, a parameter given twice, an empty or unknown ordering term is a 400 naming it
(StrictFilterBackend, StrictInputSerializer), never silently ignored and never passed to the ORM.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

import orjson
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import Http404, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.views import defaults
from django_filters import rest_framework as filters
from django_filters.fields import ChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.throttling import SimpleRateThrottle

from tracker.errors import PermissionRefused, WorkflowError
from tracker.search import keyword_search

# --- messages ------------------------------------------------------------------------------------

MESSAGES = {
    "not_authenticated": ("未提供身份认证信息，请先获取令牌", "Authentication credentials were not provided."),
    "authentication_failed": ("身份认证失败：令牌无效或已注销", "Invalid or revoked token."),
    "invalid_credentials": ("用户名或密码错误", "Wrong username or password."),
    "permission_denied": ("您无权执行此操作", "You do not have permission to perform this action."),
    "not_a_member": ("此接口仅供委员/代表使用", "This endpoint is for members and deputies."),
    "not_found": ("未找到该对象", "Not found."),
    "method_not_allowed": ("不支持该请求方法", "Method not allowed."),
    "not_acceptable": ("无法提供所要求的内容格式", "Cannot produce the requested content type."),
    "unsupported_media_type": ("不支持该请求内容类型，请使用 application/json", "Unsupported media type; send application/json."),
    "parse_error": ("请求内容格式有误", "Malformed request body."),
    "throttled": ("请求过于频繁，请稍后再试", "Too many requests; try again later."),
    "invalid": ("提交的内容有误，请按字段提示修改", "Invalid input; see the field errors."),
    "server_error": ("服务器内部错误，请稍后再试", "Internal server error; try again later."),
}

# DRF's own exception codes that we name differently.
_CODE_ALIASES = {"error": "invalid", "invalid_page": "not_found"}


def in_language(zh: str, en: str) -> str:
    return en if (get_language() or "zh-hans").startswith("en") else zh


def message(code: str) -> str:
    return in_language(*MESSAGES[code])


def error_body(code: str, detail: str | None = None, fields: dict | None = None) -> dict:
    body = {"code": code, "detail": detail or message(code)}
    if fields:
        body["fields"] = fields
    return body


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    code = serializers.CharField(help_text="稳定的错误代码 / stable error code, e.g. not_found, invalid, feedback_not_open")
    detail = serializers.CharField(help_text="可读说明，按 Accept-Language 为中文或英文 / readable message (zh or en)")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="各输入字段的错误 / messages per input field (400 only)",
    )


_DESCRIPTIONS = {
    400: "输入有误 / invalid input (see `fields`)",
    401: "未认证 / not authenticated",
    403: "非委员/代表账号 / not a member's login",
    404: "不存在或不属于您 / not found, or not yours",
    409: "当前状态下办理流程不允许 / refused by the workflow in the current state",
    429: "请求过于频繁 / throttled",
}


def error_responses(*codes: int) -> dict:
    """Declare the error responses an operation can give, so the schema tells clients the truth."""
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]) for code in codes}


# --- exception handling ------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _field_messages(detail) -> dict[str, list[str]]:
    """DRF's nested error detail flattened to {field: [messages]} (nested paths joined with dots)."""
    fields: dict[str, list[str]] = {}

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for item in value:
                walk(item, path)
        else:
            fields.setdefault(path or "non_field_errors", []).append(str(value))

    walk(detail, "")
    return fields


def from_workflow_error(error: WorkflowError, *, input_fields=()) -> exceptions.APIException:
    """A refusal by the workflow as an API error: 400 when it names a field the client sent (bad
    input), 403 for a permission the caller lacks, else 409 (not possible in the current state)."""
    if error.field and error.field in input_fields:
        exc = exceptions.ValidationError({error.field: [error.message]}, code=error.code)
        exc.workflow_error = error
        return exc
    exc = (exceptions.PermissionDenied if isinstance(error, PermissionRefused) else Conflict)(error.message, error.code)
    exc.workflow_error = error
    return exc


def exception_handler(exc, context):
    """DRF's handler, with our body: {code, detail, fields?} in the request's language."""
    if isinstance(exc, WorkflowError):
        exc = from_workflow_error(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    # Imported here: DRF's settings import this module while rest_framework.views is loading.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    workflow_error = getattr(exc, "workflow_error", None)
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_messages(exc.detail)
        code = workflow_error.code if workflow_error else "invalid"
        response.data = error_body(code, message("invalid"), fields)
    elif workflow_error is not None:
        response.data = error_body(workflow_error.code, workflow_error.message)
    else:
        code = _exception_code(exc)
        detail = str(exc.detail) if code not in MESSAGES else message(code)
        if isinstance(exc, exceptions.Throttled) and exc.wait:
            detail = in_language(f"请求过于频繁，请{int(exc.wait) + 1}秒后再试",
                                 f"Too many requests; try again in {int(exc.wait) + 1} seconds.")
        response.data = error_body(code, detail)
    return response


def _exception_code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    return _CODE_ALIASES.get(code, code)


def api_not_found(request, exception=None):
    """handler404: JSON under /api/ (a path the URLconf does not know), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JSONResponse(error_body("not_found"), status=404)
    return defaults.page_not_found(request, exception)


def api_server_error(request):
    if request.path.startswith("/api/"):
        return JSONResponse(error_body("server_error"), status=500)
    return defaults.server_error(request)


# --- rendering ---------------------------------------------------------------------------------


def _orjson_default(value):
    if isinstance(value, Promise):  # lazy translations: labels of choices
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(data) -> bytes:
    """UTF-8 JSON, Chinese as characters (JsonResponse's \\uXXXX escapes inflate it by two thirds)."""
    return orjson.dumps(data, default=_orjson_default)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None  # JSON is UTF-8 by definition (RFC 8259); no charset parameter

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else dumps(data)


class ORJSONParser(BaseParser):
    """JSON bodies through orjson, which refuses what Python's json module lets through to a 500:
    lone surrogates ("\\ud800", which no database or encoder can store) and nesting deeper than
    1,024 levels (json recurses until RecursionError). The error never repeats the bad value."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return orjson.loads(stream.read() if stream is not None else b"")
        except orjson.JSONDecodeError:
            raise exceptions.ParseError() from None  # the detail is ours: "请求内容格式有误"


class JSONResponse(HttpResponse):
    def __init__(self, data, **kwargs):
        kwargs.setdefault("content_type", "application/json")
        super().__init__(dumps(data), **kwargs)


class FirstRendererNegotiation(BaseContentNegotiation):
    """For views that answer a document (text, .docx) themselves: errors are always JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# --- query parameters and input fields ---------------------------------------------------------
# One rule for every list and every write: a query parameter or a body field the operation does not
# know, a parameter given twice, or a value it cannot read is refused with a 400 that names it,
# before anything reaches the ORM.

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# No column holds an integer of more than 19 digits, and Python refuses to read one of more than
# 4,300 (ValueError): a longer number is read as this bound, which no row has either.
_MAX_DIGITS = 20
_SHOWN_LENGTH = 40


def parse_integer(text: str) -> int | None:
    """A whole number in ASCII digits, with an optional minus sign; None for anything else
    ('1.0', '１２', '²', '1_000', which Python's int() would read or choke on)."""
    text = text.strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    if len(text.lstrip("-")) > _MAX_DIGITS:
        return -(10**_MAX_DIGITS) if text.startswith("-") else 10**_MAX_DIGITS
    return int(text)


def shown(text: str) -> str:
    """A name or term the client sent, fit to repeat in a message: control characters replaced, cut short."""
    text = "".join("�" if ch < " " or ch == "\x7f" else ch for ch in str(text))
    return text if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH] + "…"


def named(name: str, zh: str, en: str, *, what: str = "参数") -> str:
    """A message about one query parameter (or body field, 字段), naming it: 参数“year”：不能为空 / year: …"""
    return in_language(f"{what}“{name}”：{zh}", f"{name}: {en}")


def query_error(name: str, zh: str, en: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [named(name, zh, en)]})


def query_form_error(errors: Mapping[str, Iterable[str]]) -> exceptions.ValidationError:
    """The errors of a form that read query parameters, each message naming its parameter."""
    return exceptions.ValidationError({
        name: [named(name, text, text) for text in texts] for name, texts in errors.items()
    })


def _listed(names: Iterable[str]) -> tuple[str, str]:
    names = sorted(names)
    return "、".join(names), ", ".join(names)


def check_query_parameters(query: Mapping, known: Iterable[str]) -> None:
    """Refuse query parameters the operation does not take, and any given more than once
    (Django would silently use the last: `?year=2025&year=2026`)."""
    known = set(known)
    errors = {}
    for name in query:
        if name not in known:
            zh_known, en_known = _listed(known)
            errors[shown(name)] = [named(shown(name), f"不支持，可用的参数为：{zh_known or '无'}",
                                         f"unknown parameter; known: {en_known or 'none'}.")]
        elif len(query.getlist(name)) > 1:
            errors[name] = [named(name, "只能给出一次", "may be given only once.")]
    if errors:
        raise exceptions.ValidationError(errors)


def unknown_field_errors(data, known: Iterable[str]) -> dict[str, list[str]]:
    """{field: [message]} for each field of a JSON object that the operation does not take
    ("comment" for "comments" would otherwise be dropped without a word)."""
    if not isinstance(data, Mapping):
        return {}
    known = set(known)
    zh_known, en_known = _listed(known)
    return {
        shown(name): [named(shown(name), f"不支持，可用的字段为：{zh_known or '无'}",
                            f"unknown field; accepted: {en_known or 'none'}.", what="字段")]
        for name in data if name not in known
    }


class StrictInputSerializer(serializers.Serializer):
    """The input of a write: a field it does not declare is refused (400 naming it), never dropped.
    The schema says so too (additionalProperties: false, tracker.api_schema)."""

    def to_internal_value(self, data):
        unknown = unknown_field_errors(data, (name for name, field in self.fields.items() if not field.read_only))
        try:
            value = super().to_internal_value(data)
        except exceptions.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise exceptions.ValidationError({**error.detail, **unknown}) from None
            raise
        if unknown:
            raise exceptions.ValidationError(unknown)
        return value


class NoInput(StrictInputSerializer):
    """The input of a write that takes none (mark read, revoke a token): any field is unknown."""


def refuse_any_input(request) -> None:
    NoInput(data=request.data if request.data is not None else {}).is_valid(raise_exception=True)


# --- paging ------------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    """?page=N&page_size=M (1-100, default 20). A malformed page or page size is refused (400)
    rather than ignored, so a client learns of its mistake; a page past the end answers 404."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = parse_integer(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            raise query_error(self.page_size_query_param, f"须为1至{self.max_page_size}之间的整数",
                              f"must be a whole number from 1 to {self.max_page_size}.")
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            number = parse_integer(raw)
            if number is None or number < 1:
                raise query_error(self.page_query_param, "须为正整数", "must be a positive whole number.")
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.page_query_param, "required": False, "in": "query",
             "description": "页码 / page number", "schema": {"type": "integer", "minimum": 1}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": "每页条数 / items per page",
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size}},
        ]


# --- filters -----------------------------------------------------------------------------------

no_nul_characters = RegexValidator(r"^[^\x00]*$", "不能包含空字符 / must not contain NUL characters", code="null_characters")


def _refuse_blank(value) -> None:
    """A parameter sent empty (`?year=`) is not the same as one left out: say it is wrong, as the
    schema does (an integer or a choice, never ""), rather than quietly not filtering."""
    if value == "":
        raise forms.ValidationError(in_language("不能为空", "May not be empty."), code="blank")


class StrictIntegerField(forms.IntegerField):
    """An integer, or an error: Django's forms.IntegerField would also take '1.0'."""

    def to_python(self, value):
        _refuse_blank(value)
        if value in self.empty_values:
            return None
        number = parse_integer(str(value))
        if number is None:
            raise forms.ValidationError(in_language("请输入整数", "Enter a whole number."), code="invalid")
        return number


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    field_class = StrictIntegerField


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error, not silently no filter."""

    def to_python(self, value):
        _refuse_blank(value)
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(in_language("请输入 true 或 false", "Enter true or false."), code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # django-filter's BooleanWidget turns an unknown value into "no filter" before the field sees it.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class StrictChoiceField(ChoiceField):
    def to_python(self, value):
        _refuse_blank(value)
        return super().to_python(value)

    def validate(self, value):
        # Django's message repeats the value, whatever its length or content.
        if value not in self.empty_values and not self.valid_value(value):
            codes = [str(code) for code, _label in self.choices if code != ""]
            raise forms.ValidationError(in_language(f"须为以下之一：{'、'.join(codes)}",
                                                    f"Must be one of: {', '.join(codes)}."), code="invalid_choice")
        super().validate(value)


class StrictChoiceFilter(filters.ChoiceFilter):
    field_class = StrictChoiceField


class KeywordField(forms.CharField):
    def to_python(self, value):
        # A NUL cannot reach PostgreSQL; it carries no meaning in a search word either.
        return super().to_python(value).replace("\x00", "")


# Longer is no search but a load: SQLite refuses a LIKE pattern past 50,000 bytes (a 500).
MAX_KEYWORDS_LENGTH = 100


@extend_schema_field({"type": "string", "maxLength": MAX_KEYWORDS_LENGTH})
class KeywordFilter(filters.CharFilter):
    """?q=: words that must all appear (tracker.search)."""

    field_class = KeywordField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "关键词 / keywords (all must appear)")
        kwargs.setdefault("max_length", MAX_KEYWORDS_LENGTH)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return keyword_search(qs, value) if value else qs


class OrderingTermsField(forms.Field):
    """`?ordering=number,-year`: each term a known field, optionally preceded by "-", named once.
    An empty term (`,`, `number,,`), an unknown or private name, a lookup (`meeting__year`) or a
    term given twice is refused here, so that order_by() only ever sees the fields offered. The
    schema says as much (minItems, uniqueItems: tracker.api_schema); `number,-number` is not
    refused, as no schema could say so: the first wins."""

    widget = forms.TextInput  # the raw text: django-filter's CSV widget would split it first

    def __init__(self, *, choices, null_label=None, **kwargs):
        self.terms = [code for code, _label in choices]
        super().__init__(**kwargs)

    def to_python(self, value):
        _refuse_blank(value)
        if value in self.empty_values:
            return []
        terms = str(value).split(",")
        seen = set()
        for term in terms:
            if term == "":
                raise forms.ValidationError(in_language("含有空项（多余的逗号）", "has an empty term (a stray comma)."),
                                            code="blank_term")
            if term not in self.terms:
                raise forms.ValidationError(
                    in_language(f"不能按“{shown(term)}”排序，可选：{'、'.join(self.terms)}",
                                f"cannot order by “{shown(term)}”; choose from: {', '.join(self.terms)}."),
                    code="invalid_choice")
            if term in seen:
                raise forms.ValidationError(in_language(f"“{term}”重复", f"names “{term}” twice."), code="repeated_term")
            seen.add(term)
        return terms


class StableOrderingFilter(filters.OrderingFilter):
    """?ordering=: the chosen order, newest id last as tie-breaker so pages never overlap."""

    descending_fmt = "%s（倒序 / descending）"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_class = OrderingTermsField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "-pk")


class StrictFilterBackend(filters.DjangoFilterBackend):
    """The filter backend of every list (DEFAULT_FILTER_BACKENDS): unknown or repeated query
    parameters are refused (check_query_parameters), then the filterset reads each value, and
    every message names its parameter. A single object fetched by id is not filtered."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        check_query_parameters(request.query_params, _known_parameters(filterset, view))
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise query_form_error(filterset.errors)
        return filterset.qs


def _known_parameters(filterset, view) -> set[str]:
    known = set(filterset.filters) if filterset is not None else set()
    paginator = getattr(view, "paginator", None)
    for attribute in ("page_query_param", "page_size_query_param"):
        if getattr(paginator, attribute, None):
            known.add(getattr(paginator, attribute))
    return known


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice (已交办), read from the same attribute as its code (assigned)."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))



# --- permissions and throttles -----------------------------------------------------------------


class TokenAddressThrottle(SimpleRateThrottle):
    """Token requests per client address (brute force from one place)."""

    scope = "token_address"

    def get_cache_key(self, request, view):
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenUserThrottle(SimpleRateThrottle):
    """Token requests per username (one account guessed at from many places)."""

    scope = "token_user"

    def get_cache_key(self, request, view):
        if request.method != "POST":
            return None
        # A body that does not parse raises ParseError here, and the client gets its 400.
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None
        # Hashed: a username may be long or odd, and a cache key must stay short and plain.
        ident = hashlib.sha256(username.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
