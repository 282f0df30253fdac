"""One's own settings: the language of the interface."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.org import services
from oversight.org.models import Language
from oversight.web.forms import BootstrapForm
from oversight.web.shortcuts import render, submit


class LanguageForm(BootstrapForm):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=Language.choices,
        # Each language is named in itself, as language pickers do.
        widget=forms.Select(attrs={"data-ident": ""}),
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services.account_set_language(
                user=request.user,  # type: ignore[arg-type]
                language=form.cleaned_data["language"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Settings saved."))
            return redirect("web:profile")
    return render(request, "profile.html", {"form": form})
