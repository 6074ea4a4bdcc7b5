from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

handler500 = "ops.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accessibility/", home_views.accessibility, name="accessibility"),
    path("privacy/", home_views.privacy, name="privacy"),
    path("cookies/", home_views.cookies, name="cookies"),
    path("account/", include("home.account_urls")),
    path("search/", include("search.urls")),
    path("kitemark/", include("kitemark.urls")),
    path("requests/", include("brokerage.urls")),
    path("api/openreferral/", include("openref.urls")),
    path("", include("directory.urls")),
]

if settings.DEBUG:
    # `make run` serves uploaded files itself, except those only a view that checks who is
    # asking may give out (review photos: PRIVATE_MEDIA_PREFIXES).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", home_views.public_media)]

urlpatterns += [path("", include(wagtail_urls))]
