"""The public notice of review results (评估验收结果公示): the batches on notice or final, and the
objection form (no login; CSRF on, counted per address, with a contact so the organiser can answer)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingshen.accounts.lockout import address_key
from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form
from qingshen.reviews import scoping
from qingshen.reviews.models import ReviewMeeting
from qingshen.reviews.services import publicity
from qingshen.trail.middleware import client_ip_of


class ObjectionForm(forms.Form):
    review = forms.TypedChoiceField(
        label=gettext_lazy("Result objected to"), coerce=int, empty_value=None, required=False
    )
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=publicity.NAME_MAX)
    contact = forms.CharField(label=gettext_lazy("Phone or e-mail"), max_length=publicity.CONTACT_MAX)
    text = forms.CharField(
        label=gettext_lazy("Objection"), max_length=publicity.TEXT_MAX, widget=forms.Textarea
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].choices = [("", _("The whole batch"))] + [
            (r.review_id, r.review.case.enterprise.name) for r in rows
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
        self.fields["text"].widget.attrs["rows"] = 4


def notice_list(request):
    publicity.meetings_finalise_due()
    page = Paginator(
        scoping.meetings_public().select_related("organiser").order_by("-notice_from", "-pk"),
        settings.QINGSHEN_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "public/notice_list.html", {"page": page, "querystring": ""})


def notice_detail(request, pk: int):
    publicity.meeting_finalise(meeting_id=pk)
    meeting = scoping.meetings_public().select_related("organiser").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    rows = list(
        meeting.cases.select_related("review__case__enterprise", "review__case__jurisdiction").order_by("pk")
    )
    taking = meeting.status == ReviewMeeting.Status.NOTICE and timezone.localdate() <= meeting.notice_until
    form = ObjectionForm(rows=rows) if taking else None
    if request.method == "POST":
        if not taking:
            raise Http404
        form = ObjectionForm(request.POST, rows=rows)
        if form.is_valid():
            d = form.cleaned_data
            try:
                objection = publicity.objection_lodge(
                    meeting_id=pk,
                    review_id=d["review"],
                    name=d["name"],
                    contact=d["contact"],
                    text=d["text"],
                    address_key=address_key(client_ip_of(request)),
                    lodged_by=request.user,
                )
            except NotFound as exc:
                raise Http404 from exc
            except Refused as exc:
                refusal_on_form(form, exc, here=request.path)
            else:
                told = (
                    _(
                        "Your objection (no. %(no)s) was received. The organiser's answer will be sent to "
                        "your inbox and shown on this page under its number."
                    )
                    if objection.lodged_by_id
                    else _(
                        "Your objection (no. %(no)s) was received. The organiser's answer will be shown on "
                        "this page under its number."
                    )
                )
                messages.success(request, told % {"no": objection.pk})
                return redirect("public-notice", pk=pk)
    # Answers are public under the objection's number; its text, name and contact never are.
    answered = meeting.objections.filter(answered_at__isnull=False).select_related("review__case__enterprise")
    return render(
        request,
        "public/notice_detail.html",
        {"meeting": meeting, "rows": rows, "form": form, "answered": answered.order_by("pk")},
    )
