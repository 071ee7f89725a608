from django.apps import AppConfig


class StewardConfig(AppConfig):
    """The union's side (issue 14, item 3): the steward's workspace under the member's authorisation (Sec. 24.1,
    Art. 23) and the de-identified denial statistics. No tables of its own: it reads the consent registry
    (``privacy.StewardConsent``), the leave decisions and the grievance deadlines."""

    name = "openleave.steward"
    label = "steward"
    verbose_name = "Union steward's workspace and denial statistics"
