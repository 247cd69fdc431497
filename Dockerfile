# One image for every VideoForge role: `videoforge serve --roles gateway|auth|gallery|streaming`,
# `videoforge worker`, `videoforge db upgrade`, `videoforge doctor`. ffmpeg comes with the
# imageio-ffmpeg wheel, so the image needs no system packages.
# Two stages: uv and its downloads stay in the first; the image keeps only the virtual environment,
# as two layers: the dependencies (rebuilt only when uv.lock changes) and VideoForge itself.
# Plain Dockerfile syntax (no BuildKit-only features): Docker, BuildKit and podman/buildah build it.
FROM python:3.11-slim AS build

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
# VideoForge itself goes under its own prefix, laid over the environment in the image below, so
# that a code change leaves the dependencies' layer as it is.
COPY src ./src
RUN uv pip install --python .venv --no-deps --prefix /app/project . \
    && rm -f /app/project/.lock


FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH="/app/.venv/bin:$PATH" \
    VIDEOFORGE_DATA_DIR=/data

# Never root at run time. /data holds work files and, on a shared volume, the signing keys.
RUN useradd --system --uid 10001 --user-group --no-create-home videoforge \
    && mkdir -p /data/keys \
    && chown -R videoforge:videoforge /data

WORKDIR /app
# Owned by root: the app cannot change its own code.
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/project /app/.venv
USER videoforge

EXPOSE 8000
# slim has no curl; Python is there anyway. Workers (no HTTP) turn this off in compose.yaml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]

ENTRYPOINT ["videoforge"]
CMD ["serve", "--host", "0.0.0.0"]
