"""Forms of the import with review: the upload, and one review form per uploaded document."""

from __future__ import annotations

import re

from django import forms

from letters.limits import LETTER_COLUMNS

DOC_TYPES = [("reply", "答复函"), ("assisting_opinion", "会办（协办）意见"), ("policy_document", "政策文件"),
             ("unknown", "无法识别(不导入)")]  # the values of ImportedDocument.DocType
KINDS = [("", "—"), ("proposal", "提案(政协)"), ("suggestion", "建议(人大)")]
BODIES = [("", "—"), ("cppcc", "政协"), ("npc", "人大")]
CATEGORIES = [("", "—")] + [(code, f"{code}类") for code in "ABCD"]
# What each contract field is called on the office's pages.
FIELD_LABELS = {
    "doc_type": "文书类型", "kind": "类型", "meeting": "会议", "number": "编号", "title": "案由",
    "proposers": "提案人/代表", "lead_agency": "承办(发文)单位", "assisting_agencies": "会办单位",
    "signed_on": "落款日期", "published_on": "发布日期", "document_number": "文号", "index_number": "索引号",
    "contact_person": "联系人", "contact_phone": "联系电话", "communications": "沟通记录", "reply_category": "答复类别",
}
_LIST_SEPARATORS = re.compile(r"[、,,;;\s]+")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ".txt,.htm,.html,.docx,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="公开文书文件", help_text="可一次选择多个文件:.txt、.html(网页另存)、.docx、带文字层的 .pdf",
        error_messages={"required": "请选择至少一个文件"},
    )


def _limit(key: str) -> int | None:
    label_model_column = LETTER_COLUMNS.get(key)
    if not label_model_column:
        return None
    _, model, column = label_model_column
    return model._meta.get_field(column).max_length


def _text(label: str, key: str, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=_limit(key), **kwargs)


class ReviewForm(forms.Form):
    """One document's record as the parser read it, for the clerk to correct. Names are listed
    with 、 between them."""

    token = forms.CharField(widget=forms.HiddenInput)
    include = forms.BooleanField(label="导入此文件", required=False, initial=True)
    doc_type = forms.ChoiceField(label="文书类型", choices=DOC_TYPES)
    kind = forms.ChoiceField(label="类型", choices=KINDS, required=False)
    meeting_body = forms.ChoiceField(label="会议机构", choices=BODIES, required=False)
    meeting_region = _text("会议地区", "meeting.region")
    meeting_term = forms.IntegerField(label="届", required=False, min_value=1, max_value=99)
    meeting_session = forms.IntegerField(label="次", required=False, min_value=1, max_value=99)
    meeting_name = _text("会议名称", "meeting.name")
    number = _text("编号", "number")
    title = _text("案由", "title", widget=forms.Textarea(attrs={"rows": 2}))
    proposers = _text("提案人/代表", "proposers")
    lead_agency = _text("承办(发文)单位", "lead_agency")
    assisting_agencies = forms.CharField(label="会办单位", required=False)
    signed_on = forms.DateField(label="落款日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    published_on = forms.DateField(label="发布日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    document_number = _text("文号", "document_number")
    index_number = _text("索引号", "index_number")
    contact_person = _text("联系人", "contact_person")
    contact_phone = _text("联系电话", "contact_phone")
    reply_category = forms.ChoiceField(label="答复类别", choices=CATEGORIES, required=False)

    # Which form fields show which contract field (a contract field's marks go on these).
    FIELDS_OF = {
        "meeting": ("meeting_body", "meeting_region", "meeting_term", "meeting_session", "meeting_name"),
    }

    @classmethod
    def initial_from(cls, record: dict, token: str) -> dict:
        meeting = record["meeting"]
        initial = {key: record[key] for key in (
            "doc_type", "number", "title", "lead_agency", "signed_on", "published_on", "document_number",
            "index_number", "contact_person", "contact_phone",
        )}
        initial.update(
            token=token, include=record["doc_type"] != "unknown", kind=record["kind"] or "",
            reply_category=record["reply_category"] or "",
            meeting_body=meeting["body"] or "", meeting_region=meeting["region"], meeting_term=meeting["term"],
            meeting_session=meeting["session"], meeting_name=meeting["name"],
            proposers="、".join(record["proposers"]), assisting_agencies="、".join(record["assisting_agencies"]),
        )
        return initial

    def clean_proposers(self):
        return _names(self.cleaned_data["proposers"], _limit("proposers"), self, "proposers")

    def clean_assisting_agencies(self):
        return _names(self.cleaned_data["assisting_agencies"], _limit("assisting_agencies"), self, "assisting_agencies")

    def record(self) -> dict:
        """The contract record the clerk confirmed (without file and communications)."""
        data = self.cleaned_data

        def text(key):
            return (data.get(key) or "").strip() or None

        return {
            "doc_type": data["doc_type"],
            "kind": data.get("kind") or None,
            "meeting": {
                "body": data.get("meeting_body") or None, "region": text("meeting_region"),
                "term": data.get("meeting_term"), "session": data.get("meeting_session"), "name": text("meeting_name"),
            },
            "number": text("number"), "title": text("title"), "proposers": data.get("proposers") or [],
            "lead_agency": text("lead_agency"), "assisting_agencies": data.get("assisting_agencies") or [],
            "signed_on": data["signed_on"].isoformat() if data.get("signed_on") else None,
            "published_on": data["published_on"].isoformat() if data.get("published_on") else None,
            "document_number": text("document_number"), "index_number": text("index_number"),
            "contact_person": text("contact_person"), "contact_phone": text("contact_phone"),
            "reply_category": data.get("reply_category") or None,
        }


def _names(value: str, limit: int | None, form: forms.Form, key: str) -> list[str]:
    names = [name for name in _LIST_SEPARATORS.split(value or "") if name]
    too_long = [name for name in names if limit and len(name) > limit]
    if too_long:
        raise forms.ValidationError(f"「{too_long[0][:10]}…」超过 {limit} 个字")
    return names
