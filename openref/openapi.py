"""The API's own OpenAPI document: Open Referral UK's (CC BY-SA 4.0, Open Referral UK,
https://openreferraluk.org), with this server's address and the parameters we add."""

import copy
import functools
import json
from pathlib import Path

from django.http import JsonResponse
from django.urls import reverse

DOCUMENT = Path(__file__).parent / "data" / "openapi.json"


@functools.cache
def _document() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def openapi_url(request) -> str:
    return request.build_absolute_uri(reverse("openref:openapi"))


def api_root(request) -> str:
    return request.build_absolute_uri(reverse("openref:api_details"))


def openapi_document(request):
    document = copy.deepcopy(_document())
    document["servers"] = [{"url": api_root(request).rstrip("/")}]
    document["info"]["summary"] = "Short breaks for disabled children and young people"
    document["info"]["description"] = (
        "Short breaks, personal assistants and inclusive clubs checked by the council, as "
        "Open Referral UK 3.0 open data. Lists take page and per_page (at most 100 a page, "
        "1000 with minimal=true) or format=ndjson to stream every record. A personal "
        "assistant is located only by postcode district."
    )
    document["info"]["contact"] = {
        "name": "Short Breaks Finder",
        "url": request.build_absolute_uri("/"),
    }
    document["info"]["license"] = {
        "name": "Creative Commons Attribution Share-Alike 4.0 license",
        "url": "https://creativecommons.org/licenses/by-sa/4.0/",
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
