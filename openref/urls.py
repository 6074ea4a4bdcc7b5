from django.urls import path, re_path

from . import views

app_name = "openref"


def collection(name: str, view, url_name: str):
    """A list, with or without a trailing slash."""
    return re_path(rf"^{name}/?\Z", view, name=url_name)


def item(name: str, view, url_name: str, kwarg: str):
    """One record by id. Any id at all (with a slash or a newline in it) is answered here,
    with a JSON 404 when it is unknown."""
    return re_path(rf"^{name}/(?P<{kwarg}>[\s\S]+)\Z", view, name=url_name)


urlpatterns = [
    path("", views.api_details, name="api_details"),
    path("openapi.json", views.openapi_document, name="openapi"),
    collection("services", views.service_list, "services"),
    item("services", views.service_detail, "service", "service_id"),
    collection("service_at_locations", views.service_at_location_list, "service_at_locations"),
    item(
        "service_at_locations",
        views.service_at_location_detail,
        "service_at_location",
        "sal_id",
    ),
    collection("organizations", views.organization_list, "organizations"),
    item("organizations", views.organization_detail, "organization", "organization_id"),
    collection("taxonomies", views.taxonomy_list, "taxonomies"),
    item("taxonomies", views.taxonomy_detail, "taxonomy", "taxonomy_id"),
    collection("taxonomy_terms", views.taxonomy_term_list, "taxonomy_terms"),
    item("taxonomy_terms", views.taxonomy_term_detail, "taxonomy_term", "term_id"),
]
