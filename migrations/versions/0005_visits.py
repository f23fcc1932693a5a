"""Kitchen visits: visits with themes and audiences, sign-ups with a waitlist, reports brought to circles; Werkplaats approval setting; reflections about a visit

Revision ID: 0005_visits
Revises: 0004_notes
Create Date: 2026-11-29 10:00:38.682847

"""
from alembic import op
import sqlalchemy as sa

import leerkring.db


# revision identifiers, used by Alembic.
revision = '0005_visits'
down_revision = '0004_notes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('werkplaats_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.Column('offer_key', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('host_organisation', sa.String(length=160), nullable=False),
    sa.Column('starts_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('place_address', sa.String(length=255), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('accessibility', sa.Text(), nullable=False),
    sa.Column('max_places', sa.Integer(), nullable=True),
    sa.Column('places_taken', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'published', 'declined', 'cancelled', name='visitstatus', native_enum=False, length=16), nullable=False),
    sa.Column('decided_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('changed_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_visits_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_visits_host_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['werkplaats_id'], ['werkplaatsen.id'], name=op.f('fk_visits_werkplaats_id_werkplaatsen'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_host_id'), ['host_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_offer_key'), ['offer_key'], unique=False)
        batch_op.create_index('ix_visits_status_starts_at', ['status', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_werkplaats_id'), ['werkplaats_id'], unique=False)

    op.create_table('visit_audiences',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('professionals', 'lecturers', 'policymakers', 'students', name='audience', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_audiences_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'audience', name=op.f('pk_visit_audiences'))
    )
    with op.batch_alter_table('visit_audiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_audiences_audience'), ['audience'], unique=False)

    op.create_table('visit_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('saw', sa.Text(), nullable=False),
    sa.Column('surprised', sa.Text(), nullable=False),
    sa.Column('take_home', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('responded_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('is_offered_to_library', sa.Boolean(), nullable=False),
    sa.Column('library_consent_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_visit_reports_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_reports_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_reports')),
    sa.UniqueConstraint('visit_id', 'author_id', name=op.f('uq_visit_reports_visit_id_author_id'))
    )
    with op.batch_alter_table('visit_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_reports_author_id'), ['author_id'], unique=False)

    op.create_table('visit_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('learning_goal', sa.Text(), nullable=False),
    sa.Column('has_place', sa.Boolean(), nullable=False),
    sa.Column('waitlisted_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('promoted_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_signups_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_signups_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_signups')),
    sa.UniqueConstraint('visit_id', 'user_id', name=op.f('uq_visit_signups_visit_id_user_id'))
    )
    with op.batch_alter_table('visit_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_signups_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_visit_signups_visit_id_waitlisted_at', ['visit_id', 'waitlisted_at'], unique=False)

    op.create_table('visit_themes',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_visit_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_themes_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'theme_id', name=op.f('pk_visit_themes'))
    )
    with op.batch_alter_table('visit_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('report_circles',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('attached_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_report_circles_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_report_circles_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['visit_reports.id'], name=op.f('fk_report_circles_report_id_visit_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'circle_id', name=op.f('pk_report_circles'))
    )
    with op.batch_alter_table('report_circles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_circles_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_circles_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reflections_visit_id'), ['visit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reflections_visit_id_visits'), 'visits', ['visit_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('werkplaatsen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visits_need_approval', sa.Boolean(), nullable=False, server_default=sa.true()))



def downgrade():
    with op.batch_alter_table('werkplaatsen', schema=None) as batch_op:
        batch_op.drop_column('visits_need_approval')

    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reflections_visit_id_visits'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reflections_visit_id'))
        batch_op.drop_column('visit_id')

    with op.batch_alter_table('report_circles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_circles_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_report_circles_circle_id'))

    op.drop_table('report_circles')
    with op.batch_alter_table('visit_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_themes_theme_id'))

    op.drop_table('visit_themes')
    with op.batch_alter_table('visit_signups', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_signups_visit_id_waitlisted_at')
        batch_op.drop_index(batch_op.f('ix_visit_signups_user_id'))

    op.drop_table('visit_signups')
    with op.batch_alter_table('visit_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_reports_author_id'))

    op.drop_table('visit_reports')
    with op.batch_alter_table('visit_audiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_audiences_audience'))

    op.drop_table('visit_audiences')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_werkplaats_id'))
        batch_op.drop_index('ix_visits_status_starts_at')
        batch_op.drop_index(batch_op.f('ix_visits_offer_key'))
        batch_op.drop_index(batch_op.f('ix_visits_host_id'))
        batch_op.drop_index(batch_op.f('ix_visits_decided_by_id'))

    op.drop_table('visits')
