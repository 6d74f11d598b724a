"""Run Sentry's Relay library on a PII config and events, for the scrub-rules tests.

    python3 -I -S tests/relay/relay.py RELAY_FOLDER < request.json

The request is {"config": "<PII config as a JSON string>", "events": [event, ...]}. The answer
(stdout) is {"error": null or Relay's validation error, "events": [stripped event, ...]}: each
event normalized as ingestion does (`StoreNormalizer`, which parses JSON request bodies, among
others) and then stripped by `pii_strip_event` (with its `_meta`), or [] when the config is
invalid.
"""

import json
import sys

sys.path.insert(0, sys.argv[1])

from sentry_relay.processing import (  # noqa: E402
    StoreNormalizer,
    pii_strip_event,
    validate_pii_config,
)

request = json.load(sys.stdin)
config_text = request["config"]
try:
    validate_pii_config(config_text)
except ValueError as e:
    json.dump({"error": str(e), "events": []}, sys.stdout)
    sys.exit(0)
config = json.loads(config_text)
normalizer = StoreNormalizer(project_id=1)
stripped = [pii_strip_event(config, normalizer.normalize_event(event)) for event in request["events"]]
json.dump({"error": None, "events": stripped}, sys.stdout)
