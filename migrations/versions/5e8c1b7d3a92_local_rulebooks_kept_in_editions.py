"""rulebooks an administrator adds for a province or city, kept in editions

Revision ID: 5e8c1b7d3a92
Revises: d2a6b8c4e1f7
Create Date: 2026-12-06 16:29:08.824971

One row per edition, never changed: an edit adds the next edition, and a vote stores the code of
the one it opened under (hubei.2). Empty at first: every district follows a built-in rulebook.
"""
from alembic import op
import sqlalchemy as sa

import tracker.core.time


# revision identifiers, used by Alembic.
revision = '5e8c1b7d3a92'
down_revision = 'd2a6b8c4e1f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rulebook_editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('edition', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('committee_quorum', sa.String(length=32), nullable=False),
    sa.Column('committee_approval', sa.String(length=32), nullable=False),
    sa.Column('citation', sa.String(length=300), nullable=False),
    sa.Column('notice_days_regular', sa.Integer(), nullable=False),
    sa.Column('notice_days_temporary', sa.Integer(), nullable=False),
    sa.Column('proxy_cap', sa.Integer(), nullable=True),
    sa.Column('e_vote_min_days', sa.Integer(), nullable=True),
    sa.Column('e_vote_max_days', sa.Integer(), nullable=True),
    sa.Column('prevailing_ballot', sa.Enum('paper', 'online', name='prevailingballot', native_enum=False, length=8), nullable=True),
    sa.Column('assembly_citation', sa.String(length=300), nullable=False),
    sa.Column('created_at', tracker.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("committee_quorum IN ('half_or_more', 'more_than_half', 'two_thirds_or_more', 'three_quarters_or_more') AND committee_approval IN ('half_or_more', 'more_than_half', 'two_thirds_or_more', 'three_quarters_or_more')", name=op.f('ck_rulebook_editions_offered_thresholds')),
    sa.CheckConstraint('(e_vote_min_days IS NULL AND e_vote_max_days IS NULL) OR (e_vote_min_days BETWEEN 1 AND 365 AND e_vote_max_days BETWEEN e_vote_min_days AND 365)', name=op.f('ck_rulebook_editions_e_vote_window_in_range')),
    sa.CheckConstraint('edition >= 1', name=op.f('ck_rulebook_editions_edition_positive')),
    sa.CheckConstraint('notice_days_regular BETWEEN 1 AND 60 AND notice_days_temporary BETWEEN 1 AND 60', name=op.f('ck_rulebook_editions_notice_days_in_range')),
    sa.CheckConstraint('proxy_cap IS NULL OR proxy_cap BETWEEN 1 AND 50', name=op.f('ck_rulebook_editions_proxy_cap_in_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rulebook_editions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rulebook_editions')),
    sa.UniqueConstraint('key', 'edition', name=op.f('uq_rulebook_editions_key_edition'))
    )


def downgrade():
    op.drop_table('rulebook_editions')
