from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "livingwell.offline"
    label = "offline"
    verbose_name = "Reporting with no signal"
