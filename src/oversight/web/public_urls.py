"""Public pages, under /public/: no login, no session, nothing unpublished (issue 9, 一公开)."""

from django.urls import path

from oversight.web.views import public

app_name = "public"

urlpatterns = [
    path("", public.plan_index, name="plan_index"),
    path("plans/<id:plan_id>/", public.plan_detail, name="plan_detail"),
    path("draws/<id:draw_id>/file/", public.draw_file, name="draw_file"),
    path("verify/", public.draw_verify, name="draw_verify"),
    path("verify/verify.py", public.draw_verifier_source, name="draw_verifier_source"),
]
