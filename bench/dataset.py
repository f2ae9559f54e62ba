"""What the benchmarks share: their own databases, and the words their made-up proposals are written in.

bench/stats.py, bench/api.py and bench/national.py build their data here-and-there with bulk inserts;
the database handling and the text are the same for all of them.
"""

from __future__ import annotations

import os
import sys

TOPICS = ["人工智能", "义务教育", "公共交通", "社区养老", "医疗卫生", "生态环境", "乡村振兴", "营商环境", "住房保障",
          "食品安全", "文化旅游", "科技创新", "就业创业", "城市更新", "数字政府", "垃圾分类", "停车难", "学前教育"]
VERBS = ["加强", "推进", "完善", "优化", "促进", "加快", "规范", "支持"]


def ensure_database(url: str, rebuild: bool = False) -> None:
    """Create the benchmark's own database if missing (dropped first when `rebuild`). Its name must
    contain 'bench' or 'pages' so no working database is ever dropped by mistake."""
    import psycopg

    name = url.rsplit("/", 1)[-1]
    if "bench" not in name and "pages" not in name:
        sys.exit(f"refusing to use {name!r}: the benchmark's database name must contain 'bench' or 'pages'")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if rebuild and exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def proposal_title(rng) -> str:
    return f"关于{rng.choice(VERBS)}{rng.choice(TOPICS)}工作的建议"


def long_text(rng, length: int) -> str:
    """Plain official prose of about `length` characters: the size real bodies and letters have."""
    parts = []
    while sum(map(len, parts)) < length:
        topic, other = rng.choice(TOPICS), rng.choice(TOPICS)
        parts.append(f"近年来{topic}工作取得积极进展,但{other}等方面仍存在短板,群众反映较为集中。"
                     f"建议{rng.choice(VERBS)}统筹协调,{rng.choice(VERBS)}{other}配套政策,明确责任分工和时间节点。")
    return "".join(parts)[:length]


def django_setup() -> None:
    import warnings

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here
    django.setup()
