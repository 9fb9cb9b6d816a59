"""flashcards: per-learner FSRS card states and the log of every rating

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# A card is one question or one fact: exactly one of the two ids is set.
ONE_CARD = '(question_id IS NULL) <> (fact_id IS NULL)'


def card_columns(table):
    """The learner and the card a row is about, with their keys, shared by both tables."""
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=True),
        sa.Column('fact_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(ONE_CARD, name=op.f(f'ck_{table}_one_card')),
        sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f(f'fk_{table}_learner_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f(f'fk_{table}_question_id_questions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['fact_id'], ['facts.id'], name=op.f(f'fk_{table}_fact_id_facts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def upgrade():
    op.create_table('card_states',
    *card_columns('card_states'),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=True),
    sa.Column('stability', sa.Float(), nullable=True),
    sa.Column('difficulty', sa.Float(), nullable=True),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.Column('last_review', sa.DateTime(), nullable=True),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.UniqueConstraint('learner_id', 'question_id', name=op.f('uq_card_states_learner_id_question_id')),
    sa.UniqueConstraint('learner_id', 'fact_id', name=op.f('uq_card_states_learner_id_fact_id'))
    )
    op.create_index('ix_card_states_learner_due', 'card_states', ['learner_id', 'due'], unique=False)

    op.create_table('card_reviews',
    *card_columns('card_reviews'),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('due_before', sa.DateTime(), nullable=True),
    sa.Column('due_after', sa.DateTime(), nullable=False)
    )
    op.create_index('ix_card_reviews_learner_reviewed_at', 'card_reviews', ['learner_id', 'reviewed_at'], unique=False)


def downgrade():
    op.drop_index('ix_card_reviews_learner_reviewed_at', table_name='card_reviews')
    op.drop_table('card_reviews')
    op.drop_index('ix_card_states_learner_due', table_name='card_states')
    op.drop_table('card_states')
