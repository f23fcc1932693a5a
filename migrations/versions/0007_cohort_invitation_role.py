"""Cohort invitations for lecturers too: an invitation says whether it makes a student or a lecturer

Revision ID: 0007_cohort_invitation_role
Revises: 0006_assignments
Create Date: 2026-11-29 15:28:24.239915

"""
from alembic import op
import sqlalchemy as sa

import leerkring.db


# revision identifiers, used by Alembic.
revision = '0007_cohort_invitation_role'
down_revision = '0006_assignments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.Enum('lecturer', 'student', name='cohortrole', native_enum=False, length=16), nullable=False, server_default='student'))


def downgrade():
    with op.batch_alter_table('cohort_invitations', schema=None) as batch_op:
        batch_op.drop_column('role')
