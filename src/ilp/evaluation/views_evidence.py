"""The download of an answer's evidence file: only for those who read its recommendation
(``recommendation_scope_q``; anyone else 404), one audit event per download, served as an
attachment with its content-checked type, never sniffed, never cached, never rendered by the
browser in ILP's origin."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ilp.accounts.access import can_use_coaching, client_ip, role_required
from ilp.accounts.models import User
from ilp.core.uploads import download_response
from ilp.evaluation import evidence
from ilp.evaluation.models import RecommendationEvidence


def file_response(found: RecommendationEvidence) -> HttpResponse:
    """The file as an attachment with safe headers (also the API's download)."""
    return download_response(bytes(found.data), name=found.name, content_type=found.content_type)


@role_required(can_use_coaching)
@require_GET
def evidence_download(request: HttpRequest, evidence_uuid: str) -> HttpResponse:
    user = cast(User, request.user)
    found = evidence.evidence_get(user, str(evidence_uuid), ip=client_ip(request))
    return file_response(found)
