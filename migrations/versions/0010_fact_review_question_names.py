"""facts are reviewed (draft, confirmed, rejected); questions keep a name (GIFT's title)

Facts already stored were shown to learners before review existed, so they stay visible as
confirmed; new facts that reading finds start as drafts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('status', sa.String(length=16), nullable=False, server_default='confirmed')
        )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('name', sa.String(length=255), nullable=False, server_default='')
        )


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('name')
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_column('status')
