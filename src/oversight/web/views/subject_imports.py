"""Pages of the registry's spreadsheets: import (upload, preview, every error, confirm), the
kinds' templates, and the export of a list as filtered.

An upload is checked in ``oversight worker`` first as a preview (nothing written); its page polls
the progress with htmx and then shows the counts, or every error with the workbook that marks them.
Only a preview without errors can be confirmed, which imports the same file, whole or not at all.
"""

from __future__ import annotations

import io
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.core.errors import DomainError, NotFound
from oversight.core.middleware import accepts_upload
from oversight.subjects import import_rows, imports, selectors, services, workbooks
from oversight.subjects.models import SubjectImport
from oversight.subjects.tasks import run_import
from oversight.web.shortcuts import allowed, confirmed, render, viewer_of
from oversight.web.views.subjects import _filter_form, _kinds

ERRORS_SHOWN = 1000  # errors listed on the page; all are in the workbook
FORMATS = {"xlsx", "csv"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importable() -> list[tuple[str, str]]:
    return [(c, n) for c, n in _kinds() if import_rows.importable(services.kind_fields(c))]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of subject"))
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *_importable()]
        field.widget.attrs["class"] = "form-select"


@accepts_upload("OVERSIGHT_IMPORT_MAX_BYTES")
@allowed(selectors.may_write)
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose a kind and a file; the check runs in the worker and its page shows the outcome."""
    viewer = viewer_of(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = imports.import_receive(
                actor=viewer,
                kind=form.cleaned_data["kind"],
                source=upload,
                file_name=upload.name,
                dry_run=True,
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            form.add_error("file" if exc.field == "file" else None, str(exc.message))
        else:
            run_import.enqueue(record.pk)
            return redirect("web:subject_import", import_id=record.pk)
    recent = SubjectImport.objects.filter(actor_id=viewer.pk).order_by("-id")[:10]
    context = {
        "form": form,
        "kinds": _importable(),
        "recent": recent,
        "names": dict(_kinds()),
        "limit_mb": settings.OVERSIGHT_IMPORT_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "subjects/import_start.html", context)


def _status(record: SubjectImport) -> dict[str, Any]:
    running = record.state in (SubjectImport.State.QUEUED, SubjectImport.State.RUNNING)
    stopped = imports.interrupted(record)
    return {
        "record": record,
        "running": running and not stopped,
        "interrupted": stopped,
        "kind_name": dict(_kinds()).get(record.kind, ""),
    }


@allowed(selectors.may_write)
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    """One import of the viewer's: its progress, then its counts or every error."""
    record = imports.import_get(viewer=viewer_of(request), import_id=import_id)
    errors = imports.import_errors(record) if record.state == SubjectImport.State.FAILED else []
    context = _status(record) | {
        "errors": errors[:ERRORS_SHOWN],
        "more_errors": max(record.errors - ERRORS_SHOWN, 0),
        "has_workbook": imports.error_workbook_path(record).exists(),
    }
    return render(request, "subjects/import_detail.html", context)


@allowed(selectors.may_write)
def import_progress(request: HttpRequest, import_id: int) -> HttpResponse:
    """The progress part of an import's page (polled); when it ends the page reloads."""
    record = imports.import_get(viewer=viewer_of(request), import_id=import_id)
    context = _status(record)
    response = render(request, "subjects/_import_status.html", context)
    if not context["running"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@allowed(selectors.may_write)
def import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    """Ask, then import the previewed file: all of its rows, or none."""
    viewer = viewer_of(request)
    record = imports.import_get(viewer=viewer, import_id=import_id)
    back = reverse("web:subject_import", args=[record.pk])
    consequence = _(
        "%(added)d subjects will be added and %(changed)d changed; %(unchanged)d stay as they "
        "are. The file is checked again and imported whole, or not at all."
    ) % {"added": record.added, "changed": record.changed, "unchanged": record.unchanged}

    def go() -> None:
        done = imports.import_confirm(actor=viewer, import_id=record.pk)
        run_import.enqueue(done.pk)

    ask: dict[str, Any] = {
        "title": _("Import %(file)s") % {"file": record.file_name},
        "consequence": consequence,
        "action": _("Import"),
        "danger": False,
    }
    return confirmed(request, back=back, ask=ask, call=go, done=_("The import has started."))


@allowed(selectors.may_write)
def import_error_workbook(request: HttpRequest, import_id: int) -> HttpResponse:
    """The workbook marking an import's bad cells."""
    record = imports.import_get(viewer=viewer_of(request), import_id=import_id)
    path = imports.error_workbook_path(record)
    if not path.exists():
        raise NotFound()
    name = _("Errors of %(file)s") % {"file": record.file_name.rsplit(".", 1)[0]}
    return _download(path.open("rb"), f"{name}.xlsx", XLSX)


def _kind_from(request: HttpRequest, importing: bool) -> services.KindFields:
    code = request.GET.get("kind", "")
    if code not in dict(_kinds()):
        raise NotFound()
    kind = services.kind_fields(code)
    if importing and not import_rows.importable(kind):
        raise NotFound()
    return kind


@allowed(selectors.may_write)
def template_download(request: HttpRequest) -> HttpResponse:
    """A kind's import template, as XLSX (``?format=xlsx``, the default) or CSV."""
    kind = _kind_from(request, importing=True)
    viewer = viewer_of(request)
    name = _("%(kind)s import template") % {"kind": kind.name}
    if request.GET.get("format") == "csv":
        data = workbooks.template_csv(kind, viewer)
        return _download(io.BytesIO(data), f"{name}.csv", "text/csv; charset=utf-8")
    out = io.BytesIO()
    workbooks.template_xlsx(kind, viewer, out)
    out.seek(0)
    return _download(out, f"{name}.xlsx", XLSX)


def _download(data: Any, filename: str, content_type: str) -> HttpResponse:
    """A file to save (a streamed response; typed as the views' answers are)."""
    response = FileResponse(data, as_attachment=True, filename=filename, content_type=content_type)
    return cast(HttpResponse, response)


@allowed(selectors.may_read)
def export_download(request: HttpRequest) -> HttpResponse:
    """The subjects of the list as filtered (one kind), in the template's columns."""
    viewer = viewer_of(request)
    _form, data = _filter_form(request, _kinds())
    if data is None or not data.get("kind"):
        messages.error(request, _("Choose a kind of subject to export."))
        return redirect(f"{reverse('web:subject_list')}?{request.GET.urlencode()}")
    kind = services.kind_fields(data["kind"])
    qs = selectors.subject_list(viewer=viewer, filters=selectors.SubjectFilters(**data))
    limit = settings.OVERSIGHT_EXPORT_MAX_ROWS
    if qs.count() > limit:
        messages.error(
            request,
            _("More than %(n)d subjects match: narrow the filters.") % {"n": limit},
        )
        return redirect(f"{reverse('web:subject_list')}?{request.GET.urlencode()}")
    rows = qs.iterator(chunk_size=2000)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            workbooks.csv_bytes(workbooks.export_rows(kind, rows, viewer)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = _disposition(f"{kind.name}.csv")
        return cast(HttpResponse, response)
    out = io.BytesIO()
    workbooks.export_xlsx(kind, rows, viewer, out)
    out.seek(0)
    return _download(out, f"{kind.name}.xlsx", XLSX)


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"
