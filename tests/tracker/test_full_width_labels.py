"""Every label, help text and choice a person reads on our forms is Chinese prose, written with
full-width punctuation (，：；（）) as official Chinese is; half-width marks stay for English,
numbers and file names."""

from __future__ import annotations

import re

from django.apps import apps

OURS = {"tracker", "proposals", "replies", "notifications", "letters", "reports", "intake", "workbench", "members",
        "backups"}
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff）][,:;()]|[,:;()][\u4e00-\u9fff（]")


def texts_people_read():
    for model in apps.get_models():
        if model._meta.app_label not in OURS:
            continue
        yield f"{model.__name__}", str(model._meta.verbose_name)
        for field in model._meta.get_fields():
            name = f"{model.__name__}.{field.name}"
            for text in (getattr(field, "verbose_name", ""), getattr(field, "help_text", "")):
                yield name, str(text)
            for _, label in getattr(field, "flatchoices", None) or []:
                yield name, str(label)


def test_model_labels_help_texts_and_choices_use_full_width_punctuation():
    half_width = sorted({(name, text) for name, text in texts_people_read() if HALF_WIDTH_IN_CHINESE.search(text)})
    assert not half_width, half_width
