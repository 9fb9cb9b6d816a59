"""an article can be deleted while quizzes still use it: kept, marked deleted, out of the lists

Its text may be imported again, so the one-text-per-teacher rule counts live articles only.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SHARED = sa.text("created_by_id IS NULL")
LIVE = sa.text("deleted_at IS NULL")


def upgrade():
    # The partial index is dropped and made again around the batch (SQLite recreates the table).
    op.drop_index('uq_articles_shared_text_hash', table_name='articles')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint('uq_articles_created_by_id_text_hash', type_='unique')
    op.create_index('uq_articles_shared_text_hash', 'articles', ['text_hash'], unique=True, sqlite_where=SHARED, postgresql_where=SHARED)
    op.create_index('uq_articles_owner_text_hash', 'articles', ['created_by_id', 'text_hash'], unique=True, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    # Fails while a deleted article and a live copy of its text share an owner: undelete or
    # remove one first.
    op.drop_index('uq_articles_owner_text_hash', table_name='articles')
    op.drop_index('uq_articles_shared_text_hash', table_name='articles')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_articles_created_by_id_text_hash', ['created_by_id', 'text_hash'])
        batch_op.drop_column('deleted_at')
    op.create_index('uq_articles_shared_text_hash', 'articles', ['text_hash'], unique=True, sqlite_where=SHARED, postgresql_where=SHARED)
