"""A circle's case settings: how long its cases are kept, and what happens to a member's cases and
comments when they delete their account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import ValidationError

from leerkring.circles.models import CaseErasure
from leerkring.forms import WholeNumberField

PLATFORM = "platform"
OWN = "own"

ERASURE_LABELS = {
    CaseErasure.ANONYMISE: _l("They are kept, without the member's name"),
    CaseErasure.DELETE: _l("They are deleted"),
}


class CaseSettingsForm(FlaskForm):
    period = RadioField(
        _l("How long cases are kept after their last activity"),
        invalid_choice_message=_l("Choose how long cases are kept."),
    )
    months = WholeNumberField(_l("Months"))
    erasure = RadioField(
        _l("What happens to a member's cases and comments in this circle when they delete "
           "their account"),
        choices=[SelectChoice(value.value, label) for value, label in ERASURE_LABELS.items()],
        invalid_choice_message=_l("Choose what happens to their cases and comments."),
    )

    def __init__(self, *args, platform_months: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform_months = platform_months
        self.period.choices = [
            SelectChoice(
                PLATFORM, _l("The platform default (%(months)s months)", months=platform_months)
            ),
            SelectChoice(OWN, _l("A shorter period of its own")),
        ]

    @classmethod
    def of(cls, circle, platform_months: int, **kwargs) -> "CaseSettingsForm":
        """The form for ``circle``, showing what it has chosen until something is submitted."""
        own = circle.case_retention_months
        return cls(
            platform_months=platform_months,
            data={
                "period": OWN if own else PLATFORM,
                "months": own,
                "erasure": circle.case_erasure.value,
            },
            **kwargs,
        )

    def validate_months(self, field):
        if self.period.data != OWN or field.errors:
            return
        if field.data is None:
            raise ValidationError(_l("Enter the number of months."))
        if field.data < 1:
            raise ValidationError(_l("Keep cases at least one month."))
        if field.data > self.platform_months:
            raise ValidationError(
                _l(
                    "A circle may keep cases at most %(months)s months, the platform's period.",
                    months=self.platform_months,
                )
            )

    def chosen_months(self) -> int | None:
        """The circle's own period, or None for the platform's."""
        return self.months.data if self.period.data == OWN else None

    def chosen_erasure(self) -> CaseErasure:
        return CaseErasure(self.erasure.data)
