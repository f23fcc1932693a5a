from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class CheckInCodeForm(FlaskForm):
    code = StringField(
        _l("Check-in code"),
        validators=[DataRequired(_l("Enter the code shown on the screen.")), Length(max=12)],
    )


class MinutesForm(FlaskForm):
    summary = TextAreaField(_l("Summary"), validators=[Length(max=20000)])
    decisions = TextAreaField(_l("Decisions"), validators=[Length(max=10000)])
    actions = TextAreaField(_l("Actions"), validators=[Length(max=10000)])
    save_draft = SubmitField(_l("Save as draft"))
    publish = SubmitField(_l("Publish for members"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.summary.data.strip() or self.decisions.data.strip()
                or self.actions.data.strip()):
            self.summary.errors.append(_l("Write a summary, a decision or an action."))
            return False
        return True
