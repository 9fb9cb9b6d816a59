"""articles keep their headline and paragraphs; facts carry reading's confidence

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headline', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('sentences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paragraph', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Float(), nullable=False, server_default='1.0'))


def downgrade():
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_column('confidence')
    with op.batch_alter_table('sentences', schema=None) as batch_op:
        batch_op.drop_column('paragraph')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('headline')
