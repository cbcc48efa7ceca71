"""What a volunteer's phone keeps for reporting with no signal, and removing it."""

from django.http import HttpResponse


def phone_data(request):
    return HttpResponse(status=501)


def forget_this_phone(request):
    return HttpResponse(status=501)
