"""What the streaming role keeps for the life of its process, handed to its handlers.

Each role that keeps something (a cache, a signer, a thread pool) has a typed state object of
its own, built once from the Context by roles.py and kept on app.state under the role's name;
a dependency in the role's package hands it to its handlers (gallery/deps.py and auth/deps.py
do the same). Not on the Context itself: the Context sits below streaming, gallery and auth
(they all import it), so it cannot name their types; and a process builds only the state of
the roles it runs (a worker keeps no media gate, an auth-only process no upload threads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from starlette.applications import Starlette

from videoforge.context import Context
from videoforge.deps import role_state, role_state_dependency
from videoforge.role_specs import STREAMING
from videoforge.storage.capabilities import KeyPrefix
from videoforge.streaming.cdn import CdnLinks
from videoforge.streaming.revocation import MediaGate


@dataclass
class StreamingState:
    # Whether a media link still holds; its cache lives as long as the process.
    gate: MediaGate
    # The CloudFront signer, only when a CDN is configured.
    cdn: CdnLinks | None

    @classmethod
    def build(cls, ctx: Context) -> StreamingState:
        prefix = ctx.store.prefix if isinstance(ctx.store, KeyPrefix) else ""
        return cls(MediaGate(ctx.sessions), CdnLinks.from_settings(ctx.settings, prefix))


def streaming_state(app: Starlette) -> StreamingState:
    return role_state(app, STREAMING, StreamingState)


StreamingDep = Annotated[StreamingState, Depends(role_state_dependency(STREAMING, StreamingState))]
