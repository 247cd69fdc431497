"""Playlists: ordered lists of videos, public, unlisted or private as a video is.

A playlist never shows a viewer a video they may not see (videoforge.access): such entries are
left out for that viewer, and a private playlist does not exist for anyone but its owner and
admins (404).
"""
