from django.urls import path

from . import openapi, views

app_name = "openref"

urlpatterns = [
    path("", views.api_details, name="api_details"),
    path("openapi.json", openapi.openapi_document, name="openapi"),
    path("services", views.service_list, name="services"),
    path("services/<str:service_id>", views.service_detail, name="service"),
    path("service_at_locations", views.service_at_location_list, name="service_at_locations"),
    path(
        "service_at_locations/<str:sal_id>",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    path("organizations", views.organization_list, name="organizations"),
    path("organizations/<str:organization_id>", views.organization_detail, name="organization"),
    path("taxonomies", views.taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_term_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:term_id>", views.taxonomy_term_detail, name="taxonomy_term"),
]
