from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "livingwell.notifications"
    label = "notifications"
    verbose_name = "Notifications"
