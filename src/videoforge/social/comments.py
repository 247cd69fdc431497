"""Comments: top-level ones and replies to them (one level deep), newest first, replies under
their parent oldest first. Authors edit and delete their own; the video's owner and admins
delete any. The owner can turn a video's comments off: then none are shown or taken.
Each account may post COMMENTS_PER_WINDOW comments per COMMENT_WINDOW."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from videoforge.access import is_owner_or_admin, require_view
from videoforge.db import Comment, User, Video, utcnow
from videoforge.errors import BadRequest, Forbidden, NotFound, TooManyRequests
from videoforge.pagination import page_window, pagination
from videoforge.social.channels import author_out
from videoforge.social.schemas import CommentCreate, CommentOut, CommentPage, CommentUpdate

COMMENTS_PER_WINDOW = 5
COMMENT_WINDOW = timedelta(minutes=1)


def list_comments(
    session: Session, user: User | None, video_id: str, page: int, limit: int
) -> CommentPage:
    video = require_view(user, session.get(Video, video_id))
    if not video.comments_enabled:
        return CommentPage(
            comments=[], pagination=pagination(0, page, limit), count=0, comments_enabled=False
        )
    on_video = Comment.video_id == video.id
    count = session.scalar(select(func.count()).where(on_video)) or 0
    top_level = (on_video, Comment.parent_id.is_(None))
    total = session.scalar(select(func.count()).where(*top_level)) or 0
    query = select(Comment).where(*top_level).order_by(Comment.created_at.desc(), Comment.id)
    parents = session.scalars(page_window(query, page, limit)).all()
    replies = session.scalars(
        select(Comment)
        .where(Comment.parent_id.in_([parent.id for parent in parents]))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    authors = _authors(session, [*parents, *replies])
    replies_of: dict[str, list[CommentOut]] = defaultdict(list)
    for reply in replies:
        assert reply.parent_id is not None
        replies_of[reply.parent_id].append(_out(reply, authors[reply.user_id], user, video))
    comments = [
        _out(parent, authors[parent.user_id], user, video, replies_of[parent.id])
        for parent in parents
    ]
    return CommentPage(
        comments=comments,
        pagination=pagination(total, page, limit),
        count=count,
        comments_enabled=True,
    )


def add_comment(session: Session, user: User, video_id: str, new: CommentCreate) -> CommentOut:
    video = require_view(user, session.get(Video, video_id))
    if not video.comments_enabled:
        raise Forbidden("Comments are turned off for this video.", code="comments_off")
    if new.parent_id is not None:
        parent = _find(session, video, new.parent_id)
        if parent.parent_id is not None:
            raise BadRequest(
                "Replies go one level deep: reply to the comment that starts the thread.",
                code="reply_too_deep",
            )
    _check_rate(session, user)
    comment = Comment(video_id=video.id, user_id=user.id, parent_id=new.parent_id, body=new.body)
    session.add(comment)
    session.commit()
    return _out(comment, user, user, video)


def edit_comment(
    session: Session, user: User, video_id: str, comment_id: str, change: CommentUpdate
) -> CommentOut:
    video = require_view(user, session.get(Video, video_id))
    comment = _find(session, video, comment_id)
    if comment.user_id != user.id:
        raise Forbidden("Only its author can edit a comment.")
    comment.body, comment.edited_at = change.body, utcnow()
    session.commit()
    return _out(comment, user, user, video)


def delete_comment(session: Session, user: User, video_id: str, comment_id: str) -> None:
    """Delete the comment and, for a top-level one, its replies."""
    video = require_view(user, session.get(Video, video_id))
    comment = _find(session, video, comment_id)
    if not _can_delete(comment, user, video):
        raise Forbidden("Only its author, the video's owner or an admin can delete a comment.")
    session.delete(comment)  # replies go with it (ON DELETE CASCADE)
    session.commit()


def _find(session: Session, video: Video, comment_id: str) -> Comment:
    comment = session.get(Comment, comment_id)
    if comment is None or comment.video_id != video.id:
        raise NotFound("No comment with this id exists on this video.")
    return comment


def _check_rate(session: Session, user: User) -> None:
    since = utcnow() - COMMENT_WINDOW
    count, oldest = session.execute(
        select(func.count(), func.min(Comment.created_at)).where(
            Comment.user_id == user.id, Comment.created_at > since
        )
    ).one()
    if count >= COMMENTS_PER_WINDOW:
        wait = max(1, math.ceil((oldest + COMMENT_WINDOW - utcnow()).total_seconds()))
        raise TooManyRequests(
            f"You can post {COMMENTS_PER_WINDOW} comments a minute; "
            f"wait {wait} seconds and try again.",
            code="too_many_comments",
            retry_after=wait,
        )


def _can_delete(comment: Comment, user: User | None, video: Video) -> bool:
    return user is not None and (comment.user_id == user.id or is_owner_or_admin(user, video))


def _authors(session: Session, comments: Sequence[Comment]) -> dict[str, User]:
    ids = {comment.user_id for comment in comments}
    return {author.id: author for author in session.scalars(select(User).where(User.id.in_(ids)))}


def _out(
    comment: Comment,
    author: User,
    user: User | None,
    video: Video,
    replies: list[CommentOut] | None = None,
) -> CommentOut:
    return CommentOut(
        id=comment.id,
        video_id=comment.video_id,
        parent_id=comment.parent_id,
        body=comment.body,
        author=author_out(author),
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        can_edit=user is not None and comment.user_id == user.id,
        can_delete=_can_delete(comment, user, video),
        replies=replies or [],
    )
