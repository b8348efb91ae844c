"""Offline units: download a pre-filled Excel template, fill it, upload it back (owned by the
offline-Excel work; placeholders until then)."""

from django.http import Http404


def template_download(request, pk):
    raise Http404


def upload(request, pk):
    raise Http404


def job_status(request, pk, job_id):
    raise Http404
