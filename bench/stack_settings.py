"""The product's settings plus one URL for the load benchmark's baseline (bench/stack_urls.py).
Used only by `make bench-load`; the product never mounts the baseline view."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.stack_urls"

# Every simulated member asks for a token from 127.0.0.1: the per-address limit (20/min, brute-force
# protection for real clients) would refuse most of them. The per-username limit stays.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {  # noqa: F405
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token_address": "100000/min"}}  # noqa: F405
