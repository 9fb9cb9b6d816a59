"""classes, quiz settings, question versions, attempt deadlines

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['teacher_id'], ['users.id'], name=op.f('fk_classes_teacher_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classes')),
    sa.UniqueConstraint('join_code', name=op.f('uq_classes_join_code')),
    sa.UniqueConstraint('teacher_id', 'name', name=op.f('uq_classes_teacher_id_name'))
    )
    op.create_table('class_members',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_members_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f('fk_class_members_learner_id_users')),
    sa.PrimaryKeyConstraint('class_id', 'learner_id', name=op.f('pk_class_members'))
    )
    op.create_table('quiz_classes',
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_quiz_classes_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_quiz_classes_quiz_id_quizzes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('quiz_id', 'class_id', name=op.f('pk_quiz_classes'))
    )
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('shuffle_questions', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('shuffle_choices', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('time_limit_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_attempts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('feedback', sa.String(length=16), nullable=False, server_default='after_each'))
        batch_op.add_column(sa.Column('partial_credit', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('opens_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint('uq_quizzes_title', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_quizzes_created_by_id_title'), ['created_by_id', 'title'])
    # Quizzes published before classes existed were open to everyone; they stay so.
    op.execute("UPDATE quizzes SET is_public = published")
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        for column in ('is_public', 'shuffle_questions', 'shuffle_choices', 'feedback', 'partial_credit'):
            batch_op.alter_column(column, server_default=None)
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_questions_family_id_questions'), 'questions', ['family_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_questions_superseded_by_id_questions'), 'questions', ['superseded_by_id'], ['id'])
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('deadline_at')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_superseded_by_id_questions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_questions_family_id_questions'), type_='foreignkey')
        batch_op.drop_column('superseded_by_id')
        batch_op.drop_column('version')
        batch_op.drop_column('family_id')
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_quizzes_created_by_id_title'), type_='unique')
        batch_op.create_unique_constraint('uq_quizzes_title', ['title'])
        for column in ('closes_at', 'opens_at', 'partial_credit', 'feedback', 'max_attempts',
                       'time_limit_minutes', 'shuffle_choices', 'shuffle_questions', 'is_public'):
            batch_op.drop_column(column)
    op.drop_table('quiz_classes')
    op.drop_table('class_members')
    op.drop_table('classes')
