"""What the gallery role keeps for the life of its process, handed to its handlers: the thread
pools uploads are received in (why a state object per role: streaming/deps.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import anyio
from fastapi import Depends
from starlette.applications import Starlette

from videoforge.deps import role_state, role_state_dependency
from videoforge.role_specs import GALLERY

# Each upload in progress holds a worker thread. They get pools of their own, so that many slow
# uploads cannot take the threads every other (synchronous) request needs, health checks too.
FORM_UPLOAD_THREADS = 64  # multipart uploads (form_upload.py)
TUS_RECEIVING_THREADS = 200  # tus PATCH bodies (uploads.py)


@dataclass
class GalleryState:
    # Made outside the event loop, a limiter is bound to the app's loop on its first use.
    form_uploads: anyio.CapacityLimiter = field(
        default_factory=lambda: anyio.CapacityLimiter(FORM_UPLOAD_THREADS)
    )
    tus_receivers: anyio.CapacityLimiter = field(
        default_factory=lambda: anyio.CapacityLimiter(TUS_RECEIVING_THREADS)
    )


def gallery_state(app: Starlette) -> GalleryState:
    return role_state(app, GALLERY, GalleryState)


GalleryDep = Annotated[GalleryState, Depends(role_state_dependency(GALLERY, GalleryState))]
