"""Notes: case notes, comments, reflections, privacy confirmations, circle retention

Revision ID: 0004_notes
Revises: 0003_reminders
Create Date: 2026-11-29 08:27:47.534904

"""
from alembic import op
import sqlalchemy as sa

import leerkring.db


# revision identifiers, used by Alembic.
revision = '0004_notes'
down_revision = '0003_reminders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('kinds', sa.String(length=100), nullable=False),
    sa.Column('confirmed_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_confirmations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_confirmations'))
    )
    with op.batch_alter_table('privacy_confirmations', schema=None) as batch_op:
        batch_op.create_index('ix_privacy_confirmations_subject', ['subject_type', 'subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_confirmations_user_id'), ['user_id'], unique=False)

    op.create_table('case_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('tried', sa.Text(), nullable=False),
    sa.Column('method', sa.Enum('incident', 'socratic', 'gossip', 'free', name='casemethod', native_enum=False, length=16), nullable=False),
    sa.Column('status', sa.Enum('draft', 'shared', 'closed', name='casestatus', native_enum=False, length=16), nullable=False),
    sa.Column('shared_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('takeaway', sa.Text(), nullable=False),
    sa.Column('lesson', sa.Text(), nullable=False),
    sa.Column('last_activity_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('extended_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_case_notes_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_case_notes_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notes'))
    )
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_notes_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_case_notes_circle_id_status', ['circle_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_notes_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_notes_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('case_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('edited_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['case_notes.id'], name=op.f('fk_case_comments_case_id_case_notes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['case_comments.id'], name=op.f('fk_case_comments_parent_id_case_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_comments'))
    )
    with op.batch_alter_table('case_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_comments_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_comments_parent_id'), ['parent_id'], unique=False)

    op.create_table('reflections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('template', sa.Enum('gibbs', 'alact', 'free', name='reflectiontemplate', native_enum=False, length=16), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('prompt', sa.String(length=40), nullable=False),
    sa.Column('sharing', sa.Enum('private', 'mentor', 'circle', name='sharing', native_enum=False, length=16), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reflections_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['case_notes.id'], name=op.f('fk_reflections_case_id_case_notes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_reflections_circle_id_circles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_reflections_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflections'))
    )
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.create_index('ix_reflections_author_id_created_at', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflections_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflections_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflections_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_retention_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('case_erasure', sa.Enum('anonymise', 'delete', name='caseerasure', native_enum=False, length=16), nullable=False, server_default='anonymise'))



def downgrade():
    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.drop_column('case_erasure')
        batch_op.drop_column('case_retention_months')

    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflections_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_reflections_circle_id'))
        batch_op.drop_index(batch_op.f('ix_reflections_case_id'))
        batch_op.drop_index('ix_reflections_author_id_created_at')

    op.drop_table('reflections')
    with op.batch_alter_table('case_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_case_comments_case_id'))
        batch_op.drop_index(batch_op.f('ix_case_comments_author_id'))

    op.drop_table('case_comments')
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_notes_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_case_notes_expires_at'))
        batch_op.drop_index('ix_case_notes_circle_id_status')
        batch_op.drop_index(batch_op.f('ix_case_notes_author_id'))

    op.drop_table('case_notes')
    with op.batch_alter_table('privacy_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_confirmations_user_id'))
        batch_op.drop_index('ix_privacy_confirmations_subject')

    op.drop_table('privacy_confirmations')
