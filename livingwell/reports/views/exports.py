from django.http import Http404


def dashboard_csv(request):
    raise Http404


def dashboard_xlsx(request):
    raise Http404


def extract_csv(request):
    raise Http404
