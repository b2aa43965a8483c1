"""logins ended by logging out

Revision ID: a24c1e0f5b11
Revises: 5e8c1b7d3a92
Create Date: 2026-12-06 16:57:53.216382

A session and a remember-me cookie now name one login of a person ("id:epoch:expires:nonce"); a
login ended by logging out is kept here until it would have expired, so that a copy of its
cookies is refused. Sessions of the earlier form ("id:epoch") are refused: everyone logs in once
more after the upgrade.
"""
from alembic import op
import sqlalchemy as sa

import tracker.core.time


# revision identifiers, used by Alembic.
revision = 'a24c1e0f5b11'
down_revision = '5e8c1b7d3a92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ended_logins',
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', tracker.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ended_logins_user_id_users')),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_ended_logins'))
    )
    with op.batch_alter_table('ended_logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ended_logins_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('ended_logins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ended_logins_expires_at'))
    op.drop_table('ended_logins')
