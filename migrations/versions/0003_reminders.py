"""Reminders: delivery outbox, notification preferences, case presenter

Revision ID: 0003_reminders
Revises: 0002_meetings
Create Date: 2026-11-29 05:19:52.370172

"""
from alembic import op
import sqlalchemy as sa

import leerkring.db


# revision identifiers, used by Alembic.
revision = '0003_reminders'
down_revision = '0002_meetings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('circle_muted_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_circle_muted_kinds_circle_id_circles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_muted_kinds')),
    sa.UniqueConstraint('circle_id', 'kind', name=op.f('uq_circle_muted_kinds_circle_id_kind'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_type', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_key', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.Enum('email', 'inapp', name='channel', native_enum=False, length=8), nullable=False),
    sa.Column('due_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'cancelled', 'expired', name='deliverystatus', native_enum=False, length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_until', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=80), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('sent_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deliveries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('user_id', 'kind', 'subject_type', 'subject_id', 'occurrence_key', 'channel', name='uq_deliveries_once')
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_status_due_at', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_deliveries_subject', ['subject_type', 'subject_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_user_id'), ['user_id'], unique=False)

    op.create_table('kind_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.Enum('email', 'inapp', name='channel', native_enum=False, length=8), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kind_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kind_preferences')),
    sa.UniqueConstraint('user_id', 'kind', 'channel', name=op.f('uq_kind_preferences_user_id_kind_channel'))
    )
    op.create_table('notification_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('meeting_lead_days', sa.Integer(), nullable=True),
    sa.Column('digest', sa.Enum('weekly', 'never', name='digest', native_enum=False, length=8), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_presenter_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_case_presenter_id'), ['case_presenter_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meetings_case_presenter_id_users'), 'users', ['case_presenter_id'], ['id'], ondelete='SET NULL')
        batch_op.add_column(sa.Column('changed_at', leerkring.db.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('promoted_at', leerkring.db.UTCDateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_column('promoted_at')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
        batch_op.drop_constraint(batch_op.f('fk_meetings_case_presenter_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_case_presenter_id'))
        batch_op.drop_column('case_presenter_id')

    op.drop_table('notification_settings')
    op.drop_table('kind_preferences')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_user_id'))
        batch_op.drop_index('ix_deliveries_subject')
        batch_op.drop_index('ix_deliveries_status_due_at')

    op.drop_table('deliveries')
    op.drop_table('circle_muted_kinds')
