"""The sandbox process: a moto server on 127.0.0.1 that records itself once it is ready.

Run as ``python -m orgstack.sandbox.server --state-dir DIR [--port N] [--with-organization]``.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from moto.server import ThreadedMotoServer

from orgstack.sandbox.state import REGION, SandboxState, write_state


def _create_organization(endpoint: str) -> None:
    import boto3

    client = boto3.client(
        "organizations",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_organization(FeatureSet="ALL")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orgstack-sandbox-server")
    parser.add_argument("--state-dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--with-organization", action="store_true")
    parser.add_argument("--log-file", default="")
    parser.add_argument("--enforce-iam", action="store_true")
    args = parser.parse_args(argv)

    from orgstack.sandbox.shims import enforce, install_all

    install_all()
    enforce(args.enforce_iam)
    # One log line per request costs a twentieth of the sandbox's CPU; errors are still logged.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    endpoint = f"http://127.0.0.1:{port}"
    if args.with_organization:
        _create_organization(endpoint)

    stopped = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    import os

    write_state(
        args.state_dir,
        SandboxState(os.getpid(), port, args.with_organization, args.log_file, args.enforce_iam),
    )
    stopped.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
