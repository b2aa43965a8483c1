"""Print jobs note when they last moved

Revision ID: 9b3e7f21c4d8
Revises: 5d1f0c2ab7e4
Create Date: 2026-11-26 04:30:00

A job runs in a thread of the worker that took the request; if that worker stops, the job stayed
"being prepared" forever. With the time of its last step, a job that has not moved for ten
minutes is shown as interrupted. Existing jobs take their creation time.
"""
from alembic import op
import sqlalchemy as sa

import tracker.core.time

revision = '9b3e7f21c4d8'
down_revision = '5d1f0c2ab7e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', tracker.core.time.UTCDateTime(timezone=True),
                                      nullable=True))
    op.execute("UPDATE print_jobs SET updated_at = COALESCE(finished_at, created_at)")
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=tracker.core.time.UTCDateTime(
            timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
