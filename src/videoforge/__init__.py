"""VideoForge: upload, transcode to adaptive HLS, gallery, streaming."""

__version__ = "0.1.0"
