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
