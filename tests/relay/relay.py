"""Run Sentry's Relay library on a PII config and events, for the scrub-rules tests.

    python3 -I -S tests/relay/relay.py RELAY_FOLDER < request.json

The request is {"config": "<PII config as a JSON string>", "events": [event, ...]}. The answer
(stdout) is {"error": null or Relay's validation error, "events": [stripped event, ...]}: each
event as `pii_strip_event` returns it (with its `_meta`), or [] when the config is invalid.
"""

import json
import sys

sys.path.insert(0, sys.argv[1])

from sentry_relay.processing import pii_strip_event, validate_pii_config  # noqa: E402

request = json.load(sys.stdin)
config_text = request["config"]
try:
    validate_pii_config(config_text)
except ValueError as e:
    json.dump({"error": str(e), "events": []}, sys.stdout)
    sys.exit(0)
config = json.loads(config_text)
stripped = [pii_strip_event(config, event) for event in request["events"]]
json.dump({"error": None, "events": stripped}, sys.stdout)
