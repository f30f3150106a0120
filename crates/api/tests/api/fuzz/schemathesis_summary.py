"""Counts every answer of a schemathesis HAR report (`--report har`): HTTP statuses, GraphQL
error codes, and the answers that count as server errors here — HTTP 5xx, a body that is not
JSON, or an error with code INTERNAL_SERVER_ERROR. Exits 1 if there is any (docs/security.md,
"Hardened input").

schemathesis' own ST113 ("GraphQL server error") flags every error a resolver returns unless it
is marked as the client's (BAD_USER_INPUT, validation), so NOT_FOUND, FORBIDDEN and
UNAUTHENTICATED count there; they are this API's documented answers (docs/error-codes.md)."""

import collections
import json
import sys

statuses, codes, bad = collections.Counter(), collections.Counter(), []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as report:
        entries = json.load(report)["log"]["entries"]
    for entry in entries:
        status = entry["response"]["status"]
        statuses[status] += 1
        text = entry["response"]["content"].get("text", "")
        try:
            body = json.loads(text)
        except ValueError:
            bad.append((status, text[:300]))
            continue
        errors = body.get("errors") or []
        if not errors:
            codes["(no error)"] += 1
        for error in errors:
            codes[(error.get("extensions") or {}).get("code", "(no code)")] += 1
        internal = any(
            (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR" for error in errors
        )
        if status >= 500 or internal:
            bad.append((status, text[:300]))

print("requests:", sum(statuses.values()))
print("HTTP statuses:", dict(statuses))
print("GraphQL error codes:", dict(codes))
print("server errors / non-JSON answers:", len(bad))
for status, text in bad[:20]:
    print("  ", status, text)
sys.exit(1 if bad else 0)
