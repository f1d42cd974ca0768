# make-mcp over streamable HTTP for a team: users sign in with Make (see README "Remote for teams").
# Build and run with docker-compose.yml beside it (make-mcp and Redis): docker compose up --build
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY server ./server
COPY tools ./tools
# [remote]: the Redis client and the encryption of the Make tokens kept there.
RUN pip install '.[remote]' \
    && useradd --system --uid 10001 --no-create-home make-mcp

USER make-mcp
ENV MAKE_TRANSPORT=http \
    MAKE_HOST=0.0.0.0 \
    MAKE_PORT=8000
EXPOSE 8000

# /healthz answers while the process runs; /readyz also checks Make and Redis (for a load balancer).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]

# SIGTERM: uvicorn stops taking requests and lets the calls in flight finish (MAKE_HTTP_SHUTDOWN_TIMEOUT).
STOPSIGNAL SIGTERM
ENTRYPOINT ["make-mcp", "serve"]
