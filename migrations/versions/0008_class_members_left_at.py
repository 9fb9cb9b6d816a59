"""a removed learner's membership is kept with the time they left

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('class_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_at', sa.DateTime(), nullable=True))


def downgrade():
    op.execute("DELETE FROM class_members WHERE left_at IS NOT NULL")
    with op.batch_alter_table('class_members', schema=None) as batch_op:
        batch_op.drop_column('left_at')
