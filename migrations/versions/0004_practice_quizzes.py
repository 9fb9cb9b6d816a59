"""practice quizzes

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-25 07:52:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_for_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_quizzes_practice_for_id_users'), 'users', ['practice_for_id'], ['id'])


def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_quizzes_practice_for_id_users'), type_='foreignkey')
        batch_op.drop_column('practice_for_id')
