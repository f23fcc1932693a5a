from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, ValidationError

from leerkring.forms import LocalDateField
from leerkring.impact.queries import Per
from leerkring.visits.overview_queries import DEFAULT_PERIOD, PERIODS, Period, period_ending

#: The period choice that takes the dates "from" and "to".
DATES = "dates"


class ImpactForm(FlaskForm):
    """The impact page's period (the last so many months, or from one date to another) and
    whether the figures are per Werkplaats or per theme, read from the query string."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), default=str(DEFAULT_PERIOD), validate_choice=False)
    #: Needed only for a period of dates: the checks below say so.
    start = LocalDateField(_l("From"))
    end = LocalDateField(_l("To"))
    per = SelectField(
        _l("Figures per"),
        choices=[SelectChoice(Per.WERKPLAATS.value, _l("Werkplaats")),
                 SelectChoice(Per.THEME.value, _l("Theme"))],
        default=Per.WERKPLAATS.value,
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = [
            *(SelectChoice(str(months), _l("Last %(months)s months", months=months))
              for months in PERIODS),
            SelectChoice(DATES, _l("From and to the dates below")),
        ]
        if self.period.raw_data == [] and (self.start.raw_data or self.end.raw_data):
            self.period.data = DATES
        for select, fallback in ((self.period, str(DEFAULT_PERIOD)),
                                 (self.per, Per.WERKPLAATS.value)):
            if select.data not in {choice.value for choice in select.choices}:
                select.data = fallback

    def validate_start(self, field):
        if self.period.data != DATES:
            return
        if field.data is None:
            raise ValidationError(_l("Choose a date."))

    def validate_end(self, field):
        if self.period.data != DATES:
            return
        if field.data is None:
            raise ValidationError(_l("Choose a date."))
        if self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))

    def chosen_per(self) -> Per:
        return Per(self.per.data)

    def chosen_period(self, now: datetime, zone: str) -> Period:
        """The period asked for; the default one when the dates are missing or wrong (the form
        then shows why)."""
        if self.period.data == DATES and self.validate():
            return between(self.start.data, self.end.data, now, zone)
        months = DEFAULT_PERIOD if self.period.data == DATES else int(self.period.data)
        return period_ending(now, months, zone)

    def query_args(self) -> dict:
        """The choices as query arguments, for the CSV links (the default period when the
        dates were wrong)."""
        args = {"per": self.per.data}
        if self.period.data == DATES and not self.errors:
            args.update(period=DATES, start=self.start.data.isoformat(),
                        end=self.end.data.isoformat())
        else:
            args["period"] = self.period.data if self.period.data != DATES else str(DEFAULT_PERIOD)
        return args


def between(first_day, last_day, now: datetime, zone: str) -> Period:
    """From the start of ``first_day`` through the end of ``last_day`` in ``zone``, but not
    past ``now``: only what has happened counts."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    last_day = min(last_day, today)
    first_day = min(first_day, last_day)

    def midnight(day):
        return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)

    return Period(
        months=0,
        first_day=first_day,
        last_day=last_day,
        start=midnight(first_day),
        end=min(midnight(last_day + timedelta(days=1)), now),
    )
