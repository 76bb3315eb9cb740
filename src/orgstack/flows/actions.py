"""The IAM actions botocore's service models show and parliament's database lacks: every
operation of every service, under the service's IAM prefix (its signing name, with AWS's
known renames). Written to ``baselines/iam_actions.json`` by ``make generated`` (a test keeps
it current with the pinned botocore and parliament), read by rule LZ019 so an action AWS has
is never reported unknown because parliament's database lags (``account:PutAccountName``).

Run as ``python -m orgstack.flows.actions`` (prints the JSON)."""

from __future__ import annotations

import json
import sys

#: Services whose IAM prefix is not their signing name.
RENAMES = {"monitoring": "cloudwatch", "email": "ses"}


def botocore_actions() -> dict[str, list[str]]:
    """IAM prefix → the operations botocore knows that parliament does not, sorted."""
    import botocore.session
    from parliament import iam_definition

    known: dict[str, set[str]] = {}
    for service in iam_definition:
        known.setdefault(service["prefix"], set()).update(
            p["privilege"].lower() for p in service["privileges"]
        )
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    found: dict[str, set[str]] = {}
    for name in session.get_available_services():
        model = loader.load_service_model(name, "service-2")
        meta = model["metadata"]
        signing = str(meta.get("signingName") or meta.get("endpointPrefix") or name).lower()
        prefix = RENAMES.get(signing, signing)
        if "." in prefix:
            continue  # a host prefix (api.ecr), not an IAM prefix
        lacking = {op for op in model["operations"] if op.lower() not in known.get(prefix, ())}
        if lacking:
            found.setdefault(prefix, set()).update(lacking)
    return {prefix: sorted(names) for prefix, names in sorted(found.items())}


def main() -> int:
    json.dump(botocore_actions(), sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
