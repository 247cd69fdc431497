# One image for every VideoForge role: `videoforge serve --roles gateway|auth|gallery|streaming`,
# `videoforge worker`, `videoforge db upgrade`, `videoforge doctor`. ffmpeg comes with the
# imageio-ffmpeg wheel, so the image needs no system packages.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PATH="/app/.venv/bin:$PATH" \
    VIDEOFORGE_DATA_DIR=/data

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app
# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY src ./src
RUN uv sync --locked --no-dev --no-editable

# Never root at run time. /data holds work files and, on a shared volume, the signing keys.
RUN useradd --system --uid 10001 --user-group --no-create-home videoforge \
    && mkdir -p /data/keys \
    && chown -R videoforge:videoforge /data
USER videoforge

EXPOSE 8000
# slim has no curl; Python is there anyway. Workers (no HTTP) turn this off in compose.yaml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]

ENTRYPOINT ["videoforge"]
CMD ["serve", "--host", "0.0.0.0"]
