from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "openleave.holidays"
    label = "holidays"
    verbose_name = "Holidays (Art. 10)"
