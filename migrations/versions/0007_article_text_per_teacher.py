"""an article's text is unique per teacher, and once among shared articles

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SHARED = sa.text("created_by_id IS NULL")


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint('uq_articles_text_hash', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_articles_created_by_id_text_hash'), ['created_by_id', 'text_hash'])
    op.create_index('uq_articles_shared_text_hash', 'articles', ['text_hash'], unique=True, sqlite_where=SHARED, postgresql_where=SHARED)


def downgrade():
    op.drop_index('uq_articles_shared_text_hash', table_name='articles')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_articles_created_by_id_text_hash'), type_='unique')
        batch_op.create_unique_constraint('uq_articles_text_hash', ['text_hash'])
