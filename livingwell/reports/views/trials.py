from django.http import Http404


def trial_list(request):
    raise Http404


def trial_new(request):
    raise Http404


def trial_detail(request, pk: int):
    raise Http404


def card_new(request, pk: int):
    raise Http404


def trial_decide(request, pk: int):
    raise Http404


def trial_report(request, pk: int):
    raise Http404


def trial_xlsx(request, pk: int):
    raise Http404
