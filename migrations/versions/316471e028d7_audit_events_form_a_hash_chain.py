"""Audit events form a hash chain

Revision ID: 316471e028d7
Revises: 7a7458e361b1
Create Date: 2026-11-26 00:23:59.096574

"""
from alembic import op
import sqlalchemy as sa

import tracker.core.time
from tracker.audit.chain import FIELDS, GENESIS, event_hash


# revision identifiers, used by Alembic.
revision = '316471e028d7'
down_revision = '7a7458e361b1'
branch_labels = None
depends_on = None

audit_events = sa.table(
    'audit_events', sa.column('id', sa.Integer),
    sa.column('created_at', tracker.core.time.UTCDateTime()),
    sa.column('actor_id', sa.Integer), sa.column('subject_type', sa.String),
    sa.column('subject_id', sa.Integer), sa.column('action', sa.String),
    sa.column('from_state', sa.String), sa.column('to_state', sa.String),
    sa.column('note', sa.Text), sa.column('data', sa.JSON),
    sa.column('prev_hash', sa.String), sa.column('hash', sa.String))


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    # Chain the events already there, in id order, as tracker.audit.chain does for new ones.
    connection = op.get_bind()
    prev = GENESIS
    rows = connection.execute(sa.select(audit_events).order_by(audit_events.c.id)).mappings()
    for row in rows.all():
        digest = event_hash(prev, {name: row[name] for name in FIELDS})
        connection.execute(audit_events.update().where(audit_events.c.id == row['id'])
                           .values(prev_hash=prev, hash=digest))
        prev = digest

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
