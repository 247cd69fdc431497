"""playlists: ordered lists of videos with a visibility

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 06:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "playlists",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("playlists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_playlists_user_id"), ["user_id"], unique=False)

    op.create_table(
        "playlist_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("playlist_id", sa.String(length=32), nullable=False),
        sa.Column("video_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["playlist_id"], ["playlists.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["video_id"], ["videos.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("playlist_id", "video_id", name="uq_playlist_entries_video"),
    )
    with op.batch_alter_table("playlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_playlist_entries_order", ["playlist_id", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_playlist_entries_video_id"), ["video_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("playlist_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playlist_entries_video_id"))
        batch_op.drop_index("ix_playlist_entries_order")

    op.drop_table("playlist_entries")
    with op.batch_alter_table("playlists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playlists_user_id"))

    op.drop_table("playlists")
