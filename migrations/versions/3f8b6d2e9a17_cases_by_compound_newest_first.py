"""Index cases by compound, newest first

Revision ID: 3f8b6d2e9a17
Revises: 7c2e9a4d1f30
Create Date: 2026-11-26 13:10:00

A liaison's unfiltered list (a few compounds, newest first) sorted every case of their
compounds to show fifty: 5.1 ms at a million cases on PostgreSQL against 0.9 ms at 10k. The
list now takes the newest fifty-one of each compound from this index and merges them
(tracker.cases.queries._each_compound); the index on compound and state serves it filtered
by state.
"""
from alembic import op

revision = '3f8b6d2e9a17'
down_revision = '7c2e9a4d1f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_compound_raised_at_id', ['compound_id', 'raised_at', 'id'],
                              unique=False)
    # Where the planner keeps statistics, give it the new index's too: on a SQLite database
    # analysed before, an index without them made it sort a district's every closed case for
    # the official's list (0.89 ms against 0.26 ms once analysed). A database never analysed
    # is left to the planner's defaults, which choose well.
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('ANALYZE cases')
    elif bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute('ANALYZE cases')


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_compound_raised_at_id')
