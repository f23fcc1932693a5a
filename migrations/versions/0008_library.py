"""The library: items with their themes, Werkplaatsen, authors and four O's, their placements in circles' meetings; people of theme groups

Revision ID: 0008_library
Revises: 0007_cohort_invitation_role
Create Date: 2026-11-29 15:44:32.522946

"""
from alembic import op
import sqlalchemy as sa

import leerkring.db


# revision identifiers, used by Alembic.
revision = '0008_library'
down_revision = '0007_cohort_invitation_role'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'ambassador', 'content_expert', name='themerole', native_enum=False, length=16), nullable=False),
    sa.Column('follows', sa.Boolean(), nullable=False),
    sa.Column('is_visible', sa.Boolean(), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_theme_people_theme_id_themes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_theme_people_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_people')),
    sa.UniqueConstraint('theme_id', 'user_id', name=op.f('uq_theme_people_theme_id_user_id'))
    )
    with op.batch_alter_table('theme_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_people_theme_id'), ['theme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_people_user_id'), ['user_id'], unique=False)

    op.create_table('library_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link_url', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.Enum('publication', 'method', 'tool', 'report', 'video', 'visit_report', 'lesson', name='itemkind', native_enum=False, length=16), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'published', name='itemstatus', native_enum=False, length=16), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('licence', sa.String(length=40), nullable=False),
    sa.Column('other_authors', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', leerkring.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('visit_report_id', sa.Integer(), nullable=True),
    sa.Column('document_key', sa.String(length=64), nullable=True),
    sa.Column('document_name', sa.String(length=255), nullable=False),
    sa.Column('document_type', sa.String(length=120), nullable=False),
    sa.Column('document_size', sa.Integer(), nullable=False),
    sa.Column('document_text', sa.Text(), nullable=False),
    sa.Column('updated_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_notes.id'], name=op.f('fk_library_items_case_id_case_notes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_library_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_library_items_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_report_id'], ['visit_reports.id'], name=op.f('fk_library_items_visit_report_id_visit_reports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_items')),
    sa.UniqueConstraint('document_key', name=op.f('uq_library_items_document_key'))
    )
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_items_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_published_by_id'), ['published_by_id'], unique=False)
        batch_op.create_index('ix_library_items_status_published_at', ['status', 'published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_visit_report_id'), ['visit_report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_year'), ['year'], unique=False)

    op.create_table('library_item_authors',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_item_authors_item_id_library_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_library_item_authors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'user_id', name=op.f('pk_library_item_authors'))
    )
    with op.batch_alter_table('library_item_authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_item_authors_user_id'), ['user_id'], unique=False)

    op.create_table('library_item_os',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('o', sa.Enum('onderzoek', 'ontwikkeling', 'onderwijs', 'ondersteuning', name='fouro', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_item_os_item_id_library_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'o', name=op.f('pk_library_item_os'))
    )
    with op.batch_alter_table('library_item_os', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_item_os_o'), ['o'], unique=False)

    op.create_table('library_item_themes',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_item_themes_item_id_library_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_library_item_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'theme_id', name=op.f('pk_library_item_themes'))
    )
    with op.batch_alter_table('library_item_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_item_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('library_item_werkplaatsen',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('werkplaats_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_item_werkplaatsen_item_id_library_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['werkplaats_id'], ['werkplaatsen.id'], name=op.f('fk_library_item_werkplaatsen_werkplaats_id_werkplaatsen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'werkplaats_id', name=op.f('pk_library_item_werkplaatsen'))
    )
    with op.batch_alter_table('library_item_werkplaatsen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_item_werkplaatsen_werkplaats_id'), ['werkplaats_id'], unique=False)

    op.create_table('library_placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('placed_by_id', sa.Integer(), nullable=True),
    sa.Column('placed_at', leerkring.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_library_placements_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_placements_item_id_library_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_library_placements_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placed_by_id'], ['users.id'], name=op.f('fk_library_placements_placed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_placements')),
    sa.UniqueConstraint('item_id', 'meeting_id', name=op.f('uq_library_placements_item_id_meeting_id'))
    )
    with op.batch_alter_table('library_placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_placements_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_placements_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_placements_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_placements_placed_at'), ['placed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_placements_placed_by_id'), ['placed_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('library_placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_placements_placed_by_id'))
        batch_op.drop_index(batch_op.f('ix_library_placements_placed_at'))
        batch_op.drop_index(batch_op.f('ix_library_placements_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_library_placements_item_id'))
        batch_op.drop_index(batch_op.f('ix_library_placements_circle_id'))

    op.drop_table('library_placements')
    with op.batch_alter_table('library_item_werkplaatsen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_item_werkplaatsen_werkplaats_id'))

    op.drop_table('library_item_werkplaatsen')
    with op.batch_alter_table('library_item_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_item_themes_theme_id'))

    op.drop_table('library_item_themes')
    with op.batch_alter_table('library_item_os', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_item_os_o'))

    op.drop_table('library_item_os')
    with op.batch_alter_table('library_item_authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_item_authors_user_id'))

    op.drop_table('library_item_authors')
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_items_year'))
        batch_op.drop_index(batch_op.f('ix_library_items_visit_report_id'))
        batch_op.drop_index('ix_library_items_status_published_at')
        batch_op.drop_index(batch_op.f('ix_library_items_published_by_id'))
        batch_op.drop_index(batch_op.f('ix_library_items_kind'))
        batch_op.drop_index(batch_op.f('ix_library_items_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_library_items_case_id'))

    op.drop_table('library_items')
    with op.batch_alter_table('theme_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_people_user_id'))
        batch_op.drop_index(batch_op.f('ix_theme_people_theme_id'))

    op.drop_table('theme_people')