from django.urls import path, re_path

from . import openapi, views

app_name = "openref"


def collection(name: str, view, url_name: str):
    """A list, with or without a trailing slash."""
    return re_path(rf"^{name}/?$", view, name=url_name)


urlpatterns = [
    path("", views.api_details, name="api_details"),
    path("openapi.json", openapi.openapi_document, name="openapi"),
    collection("services", views.service_list, "services"),
    # `path`, not `str`: an id with a slash in it is still answered here, with a JSON 404.
    path("services/<path:service_id>", views.service_detail, name="service"),
    collection("service_at_locations", views.service_at_location_list, "service_at_locations"),
    path(
        "service_at_locations/<path:sal_id>",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    collection("organizations", views.organization_list, "organizations"),
    path("organizations/<path:organization_id>", views.organization_detail, name="organization"),
    collection("taxonomies", views.taxonomy_list, "taxonomies"),
    path("taxonomies/<path:taxonomy_id>", views.taxonomy_detail, name="taxonomy"),
    collection("taxonomy_terms", views.taxonomy_term_list, "taxonomy_terms"),
    path("taxonomy_terms/<path:term_id>", views.taxonomy_term_detail, name="taxonomy_term"),
]
