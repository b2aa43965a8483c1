"""Working calendar kept by the district; provisional deadlines

Revision ID: 8cb067867d91
Revises: 3f8b6d2e9a17
Create Date: 2026-12-06 08:08:52.621896

Each year's official arrangement (days off, make-up working days) becomes data the district
keeps instead of a library's coverage; migrations/env.py fills the years the holidays library
carries after every upgrade. A follow-up task remembers when its working-day count began, so a
provisional deadline can be counted again when its year is confirmed; existing tasks began
counting when they were created.
"""
from alembic import op
import sqlalchemy as sa

import tracker.core.time


# revision identifiers, used by Alembic.
revision = '8cb067867d91'
down_revision = '3f8b6d2e9a17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('source', sa.Enum('library', 'manual', name='yearsource', native_enum=False, length=16), nullable=False),
    sa.Column('notice_title', sa.String(length=200), nullable=False),
    sa.Column('notice_number', sa.String(length=60), nullable=False),
    sa.Column('library_version', sa.String(length=20), nullable=False),
    sa.Column('confirmed_at', tracker.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', tracker.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_calendar_years_updated_by_id_users')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years'))
    )
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('off', 'work', name='daykind', native_enum=False, length=8), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['year'], ['calendar_years.year'], name=op.f('fk_calendar_days_year_calendar_years')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_days_year'), ['year'], unique=False)

    with op.batch_alter_table('follow_up_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted_from', tracker.core.time.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('provisional', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE follow_up_tasks SET counted_from = created_at "
               "WHERE tier IN ('general', 'complex')")


def downgrade():
    with op.batch_alter_table('follow_up_tasks', schema=None) as batch_op:
        batch_op.drop_column('provisional')
        batch_op.drop_column('counted_from')

    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_days_year'))

    op.drop_table('calendar_days')
    op.drop_table('calendar_years')
