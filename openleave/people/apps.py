from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openleave.people"
    label = "people"
    verbose_name = "Organisation and employees"
