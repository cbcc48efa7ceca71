"""Service functions take typed keyword arguments: a `**fields` catch-all is typed with a
TypedDict (`Unpack[...]`), never `Any`, so a type checker holds every caller to the names
and types the service accepts."""

import importlib
import inspect
import pkgutil
import typing

import pytest

import clients.services
import livingwell.accounts.services
import livingwell.reports.services
import meetings.services
import risks.services
import stories.services
import volunteers.services
from clients.models import Allocation
from livingwell.accounts.models import AreaMembership, Period, PracticeMembership

SERVICE_MODULES = [
    clients.services,
    volunteers.services,
    risks.services,
    meetings.services,
    stories.services,
    livingwell.accounts.services,
    livingwell.reports.services,
]


def public_services(module):
    """The public functions defined in a services module, or in every module of a services
    package (meetings groups its services by what they are about)."""
    modules = [module]
    if hasattr(module, "__path__"):
        modules += [
            importlib.import_module(f"{module.__name__}.{info.name}")
            for info in pkgutil.iter_modules(module.__path__)
        ]
    return [
        function
        for each in modules
        for name, function in inspect.getmembers(each, inspect.isfunction)
        if function.__module__ == each.__name__ and not name.startswith("_")
    ]


def test_every_services_package_is_looked_into():
    assert len(public_services(meetings.services)) > 20


@pytest.mark.parametrize("module", SERVICE_MODULES, ids=lambda module: module.__name__)
def test_no_service_takes_untyped_keyword_arguments(module):
    untyped = []
    for function in public_services(module):
        hints = typing.get_type_hints(function, include_extras=True)
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind is not inspect.Parameter.VAR_KEYWORD:
                continue
            hint = hints.get(parameter.name)
            is_receiver = parameter.name == "kwargs" and "sender" in inspect.signature(function).parameters
            if not is_receiver and typing.get_origin(hint) is not typing.Unpack:
                untyped.append(f"{function.__name__}(**{parameter.name}: {hint})")
    assert untyped == []


def test_allocations_and_memberships_share_one_start_and_end_date_base():
    for model in (Allocation, AreaMembership, PracticeMembership):
        assert issubclass(model, Period), model
        assert {"started_on", "ended_on"} <= {field.name for field in model._meta.fields}
        assert hasattr(model.objects, "current"), model
