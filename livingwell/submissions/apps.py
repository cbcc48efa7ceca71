from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "livingwell.submissions"
    label = "submissions"
    verbose_name = "Form submissions"
