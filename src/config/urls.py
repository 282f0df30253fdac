from django.urls import include, path

from oversight.api.health import healthz
from oversight.api.urls import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("public/", include("oversight.web.public_urls")),
    path("", include("oversight.web.urls")),
]

handler400 = "oversight.web.errors.bad_request"
handler403 = "oversight.web.errors.permission_denied"
handler404 = "oversight.web.errors.page_not_found"
handler500 = "oversight.web.errors.server_error"
