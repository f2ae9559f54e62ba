"""The intake pages' forms: they only carry input to the services."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils import timezone

from intake.spreadsheet import MAX_FILE_BYTES, SUPPORTED

MAX_UPLOAD_BYTES = MAX_FILE_BYTES
UPLOAD_SALT = "intake.upload"
# A preview not confirmed within a day is uploaded again; its file is removed (intake.tasks).
UPLOAD_MAX_AGE = 24 * 3600


class UploadForm(forms.Form):
    file = forms.FileField(label="汇总表文件", help_text="支持 .xlsx、.xls、.csv（UTF-8 或 GB18030 编码）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUPPORTED):
            raise forms.ValidationError("请上传 .xlsx、.xls 或 .csv 文件")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过 50MB")
        return upload


class AssignmentUploadForm(UploadForm):
    on = forms.DateField(label="交办日期", initial=timezone.localdate,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         help_text="各单位的答复期限从此日起算")


class ConfirmForm(forms.Form):
    """Carries the stored upload to the confirm step; signed so no other path can be named."""

    token = forms.CharField(widget=forms.HiddenInput)
    valid_rows_only = forms.BooleanField(label="仅导入无误的行（有错误或冲突的行不导入）", required=False)

    def clean_token(self):
        try:
            return signing.loads(self.cleaned_data["token"], salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
        except signing.BadSignature as error:
            raise forms.ValidationError("上传已失效，请重新上传文件") from error
