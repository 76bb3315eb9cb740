"""IAM Access Analyzer, which moto lacks entirely: CreateAnalyzer, GetAnalyzer, ListAnalyzers
and DeleteAnalyzer, with AWS's rule that an organization analyzer is made only by the
management account or the delegated administrator for ``access-analyzer.amazonaws.com``.

Installed as the module ``moto.accessanalyzer`` (moto finds a service's backend by that name)
with its URL pattern added to moto's index, so the in-process mock and the sandbox server
both answer it.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.exceptions import JsonRESTError
from moto.core.responses import BaseResponse

SERVICE = "accessanalyzer"
PRINCIPAL = "access-analyzer.amazonaws.com"
#: moto reads a service's ``url_bases`` and ``url_paths`` from its module (read-only here).
url_bases = (r"https?://access-analyzer\.(.+)\.amazonaws\.com",)


class AccessAnalyzerBackend(BaseBackend):
    """Analyzers per account and Region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.analyzers: dict[str, dict[str, Any]] = {}

    @property
    def _url_module(self) -> Any:
        return sys.modules[__name__]

    def _may_analyze_organization(self) -> None:
        from moto.organizations.exceptions import OrganizationsClientError
        from moto.organizations.models import organizations_backends

        try:
            org = organizations_backends[self.account_id]["aws"].describe_organization()
        except OrganizationsClientError:
            raise JsonRESTError(
                "ValidationException", "You must be in an organization to create this analyzer."
            ) from None
        management = org["Organization"]["MasterAccountId"]
        admins = organizations_backends[management]["aws"].admins
        delegated = any(a.account.id == self.account_id and PRINCIPAL in a.services for a in admins)
        if self.account_id != management and not delegated:
            raise JsonRESTError(
                "AccessDeniedException",
                "Only the management account or the delegated administrator for "
                f"{PRINCIPAL} can create an organization analyzer.",
            )

    def create_analyzer(self, name: str, analyzer_type: str) -> dict[str, Any]:
        if name in self.analyzers:
            raise JsonRESTError("ConflictException", f"Analyzer {name} already exists.")
        if analyzer_type.startswith("ORGANIZATION"):
            self._may_analyze_organization()
        analyzer = {
            "arn": f"arn:aws:access-analyzer:{self.region_name}:{self.account_id}:analyzer/{name}",
            "name": name,
            "type": analyzer_type,
            "createdAt": datetime.now(UTC).isoformat(),
            "status": "ACTIVE",
            "tags": {},
        }
        self.analyzers[name] = analyzer
        return analyzer

    def get_analyzer(self, name: str) -> dict[str, Any]:
        if name not in self.analyzers:
            raise JsonRESTError("ResourceNotFoundException", f"Analyzer {name} not found.")
        return self.analyzers[name]


accessanalyzer_backends = BackendDict(AccessAnalyzerBackend, SERVICE)


class AccessAnalyzerResponse(BaseResponse):
    def __init__(self) -> None:
        super().__init__(service_name=SERVICE)

    @property
    def backend(self) -> AccessAnalyzerBackend:
        found: AccessAnalyzerBackend = accessanalyzer_backends[self.current_account][self.region]
        return found

    def create_analyzer(self) -> str:
        params = json.loads(self.body or "{}")
        analyzer = self.backend.create_analyzer(params["analyzerName"], params["type"])
        return json.dumps({"arn": analyzer["arn"]})

    def get_analyzer(self) -> str:
        return json.dumps({"analyzer": self.backend.get_analyzer(self.path.rsplit("/", 1)[-1])})

    def list_analyzers(self) -> str:
        wanted = self.querystring.get("type", [None])[0]
        found = [a for a in self.backend.analyzers.values() if wanted in (None, a["type"])]
        return json.dumps({"analyzers": found})

    def delete_analyzer(self) -> str:
        self.backend.get_analyzer(name := self.path.rsplit("/", 1)[-1])
        del self.backend.analyzers[name]
        return "{}"


url_paths = MappingProxyType(
    {
        "{0}/analyzer$": AccessAnalyzerResponse.dispatch,
        "{0}/analyzer/(?P<analyzer_name>[^/]+)$": AccessAnalyzerResponse.dispatch,
    }
)


def access_analyzer() -> None:
    """Register the service with moto (idempotent)."""
    import re

    from moto import backend_index

    from orgstack.sandbox.shims.gaps import _INSTALLED

    if sys.modules.get(f"moto.{SERVICE}") is sys.modules[__name__]:
        return
    sys.modules[f"moto.{SERVICE}"] = sys.modules[__name__]
    entry = (SERVICE, re.compile(url_bases[0]))
    backend_index.backend_url_patterns.append(entry)

    def undo() -> None:
        sys.modules.pop(f"moto.{SERVICE}", None)
        if entry in backend_index.backend_url_patterns:
            backend_index.backend_url_patterns.remove(entry)

    _INSTALLED.append(undo)


__all__ = ["access_analyzer", "accessanalyzer_backends"]
