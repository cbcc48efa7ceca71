from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients and consent"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from clients.models import Allocation, Client, Consent

        # Every change to these keeps a history row (who, when, what changed).
        auditlog.register(Client)
        auditlog.register(Consent)
        auditlog.register(Allocation)

        from clients import services
        from livingwell.accounts.signals import area_membership_ended
        from volunteers.signals import volunteer_left

        # A volunteer's visits end when they leave, or leave the client's area.
        volunteer_left.connect(
            services.end_visits_of_volunteer_who_left, dispatch_uid="clients-volunteer-left"
        )
        area_membership_ended.connect(services.end_visits_in_area_left, dispatch_uid="clients-area-left")
