from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openleave.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
