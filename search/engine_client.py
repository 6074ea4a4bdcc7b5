"""The connection to the search engine: Elasticsearch 8/9 or OpenSearch 2/3.

Query and mapping bodies are built once, with the elasticsearch-dsl objects, and sent through
whichever transport `settings.SEARCH_ENGINE["KIND"]` names. Two transports because each
server insists on its own client: the Elasticsearch client sends Elasticsearch compatibility
headers that OpenSearch rejects (HTTP 406), and the Elasticsearch client refuses to talk to a
server that is not Elasticsearch.

    SEARCH_ENGINE = {
        "KIND": "opensearch",           # or "elasticsearch"
        "URL": "http://localhost:9200",
        "TIMEOUT": 2,                   # seconds for any one call (indexing, rebuilding)
        "BUDGET": 1.0,                  # seconds a family's search may spend waiting for the
                                        # engine in all (its calls together), before it is
                                        # answered from the database instead
        "RETRY_AFTER": 30,              # seconds searches go straight to the database after
                                        # the engine failed or was too slow
        "OPTIONS": {},                  # extra client arguments, e.g. basic_auth, verify_certs
    }
"""

import threading
from typing import Any

from django.conf import settings

OPENSEARCH = "opensearch"
ELASTICSEARCH = "elasticsearch"
DEFAULT_TIMEOUT = 2.0
DEFAULT_BUDGET = 1.0
DEFAULT_RETRY_AFTER = 30.0

_clients: dict[tuple, "EngineClient"] = {}
_lock = threading.Lock()


class EngineConfigurationError(RuntimeError):
    pass


def engine_settings() -> dict[str, Any]:
    config = dict(getattr(settings, "SEARCH_ENGINE", None) or {})
    if not config.get("URL"):
        raise EngineConfigurationError("settings.SEARCH_ENGINE has no URL")
    config.setdefault("KIND", OPENSEARCH)
    config.setdefault("TIMEOUT", DEFAULT_TIMEOUT)
    config.setdefault("BUDGET", DEFAULT_BUDGET)
    config.setdefault("RETRY_AFTER", DEFAULT_RETRY_AFTER)
    config.setdefault("OPTIONS", {})
    if config["KIND"] not in (OPENSEARCH, ELASTICSEARCH):
        raise EngineConfigurationError(f"Unknown search engine kind {config['KIND']!r}")
    return config


def get_client() -> "EngineClient":
    """The client for the current settings (one per configuration, reused between requests)."""
    config = engine_settings()
    key = (
        config["KIND"],
        config["URL"],
        config["TIMEOUT"],
        tuple(sorted(config["OPTIONS"].items())),
    )
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = EngineClient(
                config["KIND"], config["URL"], config["TIMEOUT"], config["OPTIONS"]
            )
    return client


class EngineClient:
    """The few calls the project makes, the same whichever engine answers."""

    def __init__(self, kind: str, url: str, timeout: float, options: dict | None = None):
        self.kind = kind
        options = dict(options or {})
        if kind == OPENSEARCH:
            from opensearchpy import OpenSearch, helpers
            from opensearchpy.exceptions import NotFoundError

            self.raw = OpenSearch(hosts=[url], timeout=timeout, max_retries=0, **options)
        else:
            from elasticsearch import Elasticsearch, NotFoundError, helpers

            self.raw = Elasticsearch(url, request_timeout=timeout, max_retries=0, **options)
        self._helpers = helpers
        self.NotFoundError = NotFoundError

    # --- documents ---------------------------------------------------------------------------

    def search(self, index: str, body: dict, timeout: float | None = None) -> dict:
        """`timeout`: seconds for this call, instead of the client's own."""
        if timeout is None:
            return self.raw.search(index=index, body=body)
        if self.kind == OPENSEARCH:
            return self.raw.search(index=index, body=body, request_timeout=timeout)
        return self.raw.options(request_timeout=timeout).search(index=index, body=body)

    def index_document(self, index: str, doc_id: str, document: dict) -> None:
        if self.kind == OPENSEARCH:
            self.raw.index(index=index, id=doc_id, body=document)
        else:
            self.raw.index(index=index, id=doc_id, document=document)

    def delete_document(self, index: str, doc_id: str) -> None:
        try:
            self.raw.delete(index=index, id=doc_id)
        except self.NotFoundError:
            pass

    def bulk(self, actions, chunk_size: int = 500):
        """Yields (ok, item) per action, as the helpers' `streaming_bulk` does."""
        yield from self._helpers.streaming_bulk(self.raw, actions, chunk_size=chunk_size)

    # --- indexes and aliases -----------------------------------------------------------------

    def create_index(self, name: str, body: dict) -> None:
        if self.kind == OPENSEARCH:
            self.raw.indices.create(index=name, body=body)
        else:
            self.raw.indices.create(index=name, **body)

    def delete_index(self, name: str) -> None:
        try:
            self.raw.indices.delete(index=name)
        except self.NotFoundError:
            pass

    def index_exists(self, name: str) -> bool:
        return bool(self.raw.indices.exists(index=name))

    def alias_targets(self, alias: str) -> list[str]:
        """The concrete indexes behind an alias (none if there is no such alias)."""
        try:
            found = self.raw.indices.get_alias(name=alias)
        except self.NotFoundError:
            return []
        return sorted(dict(found).keys())

    def update_aliases(self, actions: list[dict]) -> None:
        if self.kind == OPENSEARCH:
            self.raw.indices.update_aliases(body={"actions": actions})
        else:
            self.raw.indices.update_aliases(actions=actions)

    def refresh(self, name: str) -> None:
        self.raw.indices.refresh(index=name)
