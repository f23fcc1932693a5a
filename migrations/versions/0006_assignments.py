"""Fieldwork assignments: cohorts of students and lecturers linked to circles, invitations, assignments with extensions, and submissions with feedback

Revision ID: 0006_assignments
Revises: 0005_visits
Create Date: 2026-11-29 12:54:51.470193

"""
from alembic import op
import sqlalchemy as sa

import leerkring.db


# revision identifiers, used by Alembic.
revision = '0006_assignments'
down_revision = '0005_visits'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('course', sa.String(length=160), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('coordinators_see_submissions', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('archived_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cohorts_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('cohort_circles',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_cohort_circles_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_circles_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'circle_id', name=op.f('pk_cohort_circles'))
    )
    with op.batch_alter_table('cohort_circles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_circles_circle_id'), ['circle_id'], unique=False)

    op.create_table('cohort_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_cohort_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_invitations_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_cohort_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_cohort_invitations_token_hash'))
    )
    with op.batch_alter_table('cohort_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_invitations_accepted_by_id'), ['accepted_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_invitations_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_invitations_invited_by_id'), ['invited_by_id'], unique=False)

    op.create_table('cohort_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('lecturer', 'student', name='cohortrole', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_members_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_members')),
    sa.UniqueConstraint('cohort_id', 'user_id', name=op.f('uq_cohort_members_cohort_id_user_id'))
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_members_user_id'), ['user_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('text', 'reflection', 'case', 'attendance', name='submissionkind', native_enum=False, length=16), nullable=False),
    sa.Column('reflection_template', sa.String(length=16), nullable=True),
    sa.Column('meetings_required', sa.Integer(), nullable=True),
    sa.Column('circle_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('opens_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cutoff_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('peers_can_read', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_assignments_circle_id_circles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_assignments_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assignments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_assignments_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index('ix_assignments_cohort_id_due_at', ['cohort_id', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('assignment_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('due_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cutoff_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_extensions_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_assignment_extensions_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_assignment_extensions_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_extensions')),
    sa.UniqueConstraint('assignment_id', 'student_id', name=op.f('uq_assignment_extensions_assignment_id_student_id'))
    )
    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_extensions_granted_by_id'), ['granted_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_extensions_student_id'), ['student_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('reflection_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Enum('sufficient', 'insufficient', 'resubmit', name='outcome', native_enum=False, length=16), nullable=True),
    sa.Column('feedback_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('feedback_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_submissions_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['case_notes.id'], name=op.f('fk_submissions_case_id_case_notes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['feedback_by_id'], ['users.id'], name=op.f('fk_submissions_feedback_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reflection_id'], ['reflections.id'], name=op.f('fk_submissions_reflection_id_reflections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_submissions_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('assignment_id', 'student_id', 'attempt', name=op.f('uq_submissions_assignment_id_student_id_attempt'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_feedback_by_id'), ['feedback_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_reflection_id'), ['reflection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_student_id'), ['student_id'], unique=False)



def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_student_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_reflection_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_feedback_by_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_case_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_student_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_granted_by_id'))

    op.drop_table('assignment_extensions')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_due_at'))
        batch_op.drop_index(batch_op.f('ix_assignments_created_by_id'))
        batch_op.drop_index('ix_assignments_cohort_id_due_at')
        batch_op.drop_index(batch_op.f('ix_assignments_circle_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_members_user_id'))

    op.drop_table('cohort_members')
    with op.batch_alter_table('cohort_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_invitations_invited_by_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_invitations_email'))
        batch_op.drop_index(batch_op.f('ix_cohort_invitations_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_invitations_accepted_by_id'))

    op.drop_table('cohort_invitations')
    with op.batch_alter_table('cohort_circles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_circles_circle_id'))

    op.drop_table('cohort_circles')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_created_by_id'))

    op.drop_table('cohorts')
