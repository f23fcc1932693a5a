from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from leerkring.visits.overview_queries import DEFAULT_PERIOD, PERIODS


class OverviewForm(FlaskForm):
    """The overview's period and theme, read from the query string."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), default=str(DEFAULT_PERIOD), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = [
            SelectChoice(str(months), _l("Last %(months)s months", months=months))
            for months in PERIODS
        ]
        self.theme.choices = [SelectChoice("", _l("All themes"))] + [
            SelectChoice(t.slug, t.name) for t in themes
        ]
        for select, fallback in ((self.period, str(DEFAULT_PERIOD)), (self.theme, "")):
            if select.data not in {choice.value for choice in select.choices}:
                select.data = fallback

    def months(self) -> int:
        return int(self.period.data)

    def chosen_theme(self) -> str:
        return self.theme.data
