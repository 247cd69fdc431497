"""The viewer's side of a video: channels, comments, likes, counted views and resume positions.

Everything here goes through videoforge.access: what a user may not see of a video (a private
one of someone else) they may not see of its comments, likes or positions either (404).
"""
