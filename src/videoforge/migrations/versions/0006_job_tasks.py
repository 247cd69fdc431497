"""job tasks: a long video's job split into chunk and audio tasks (scale-out transcoding)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 05:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_tasks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("encode_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("start_seconds", sa.Float(), nullable=False),
        sa.Column("end_seconds", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("eta_seconds", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_tasks_job_id"), ["job_id"], unique=False)
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encode_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("finish_sent_for", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("published_chunks", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("published_chunks")
        batch_op.drop_column("finish_sent_for")
        batch_op.drop_column("encode_id")
    with op.batch_alter_table("job_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_tasks_job_id"))
    op.drop_table("job_tasks")
