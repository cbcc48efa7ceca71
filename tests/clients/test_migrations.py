"""The data migration that brings rows typed before the checks into the one stored format."""

import importlib

from django.apps import apps

from clients.models import Client
from tests.factories import ClientFactory, VolunteerFactory
from volunteers.models import Volunteer

clients_migration = importlib.import_module("clients.migrations.0003_text_limits_and_uk_formats")
volunteers_migration = importlib.import_module("volunteers.migrations.0003_text_limits_and_uk_formats")


def test_existing_clients_get_one_format_where_it_can_be_read(west_practice):
    tidy = ClientFactory(gp_practice=west_practice)
    odd = ClientFactory(gp_practice=west_practice)
    # As typed before the checks: saved without full_clean().
    Client.objects.filter(pk=tidy.pk).update(
        first_name="Edith\u200b",
        postcode="tr184ab",
        phone="+44 1736 362321",
        next_of_kin_phone="07700900123",
        address="3 Chapel Street\r\nPenzance  ",
    )
    Client.objects.filter(pk=odd.pk).update(postcode="<>!!", phone="javascript:alert(1)")

    clients_migration.normalise_existing(apps, None)

    tidy.refresh_from_db()
    assert (
        tidy.first_name,
        tidy.postcode,
        tidy.phone,
        tidy.next_of_kin_phone,
        tidy.address,
    ) == ("Edith", "TR18 4AB", "01736 362321", "07700 900123", "3 Chapel Street\nPenzance")
    odd.refresh_from_db()
    # What cannot be read stays as it was, for a coordinator to correct on the next edit.
    assert (odd.postcode, odd.phone) == ("<>!!", "javascript:alert(1)")


def test_existing_volunteer_postcodes_get_one_format(west):
    volunteer = VolunteerFactory(areas=[west])
    Volunteer.objects.filter(pk=volunteer.pk).update(postcode="tr18  4ab")
    volunteers_migration.normalise_existing(apps, None)
    volunteer.refresh_from_db()
    assert volunteer.postcode == "TR18 4AB"
