"""/api/auth and the public keys at /.well-known/jwks.json, one module per part: sign-up and
sign-in with tokens (sign_in), email confirmation, passwords and devices (account), second
factors (mfa) and the external sign-in offered to the web app (providers).

The router has no prefix so that both live on it; every path is written in full.
"""

from __future__ import annotations

from fastapi import APIRouter

from videoforge.auth.routes import account, mfa, providers, sign_in

router = APIRouter(tags=["auth"])
# In the order they were always mounted (the OpenAPI document lists them so).
router.include_router(account.router)
router.include_router(mfa.router)
router.include_router(providers.router)
router.include_router(sign_in.router)
