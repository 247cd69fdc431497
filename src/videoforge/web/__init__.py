"""The browser app: its built assets (static/, built from frontend/) and the routes serving them."""
