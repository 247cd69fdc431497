"""What proves who someone is: our access tokens (signed with the keys of signing_keys.py) and
external identity providers' tokens. Below auth, streaming and the context, which all use it."""
