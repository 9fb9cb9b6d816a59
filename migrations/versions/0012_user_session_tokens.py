"""users get a session token, and on SQLite ids that are never reused (AUTOINCREMENT)

The token is what the cookies name; replacing it ends every sign-in of that user.

Existing users get a random token each, so everyone signed in before the upgrade signs in
again: their cookies hold a bare id, which no longer names anyone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 12:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_urlsafe(32))
        )
    # On SQLite the table is rebuilt, as AUTOINCREMENT only comes with CREATE TABLE; the
    # keyword is SQLite's own, so PostgreSQL (whose sequences never go back) just alters it.
    with op.batch_alter_table(
        'users', schema=None, recreate='auto', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_session_token'), ['session_token'])


def downgrade():
    with op.batch_alter_table(
        'users', schema=None, recreate='auto', table_kwargs={'sqlite_autoincrement': False}
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_session_token'), type_='unique')
        batch_op.drop_column('session_token')
