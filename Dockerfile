# One image for every service of the stack; docker-compose.yml gives each its command:
#   inventory-agent genie serve | serve-agent | worker | api | ui | data generate
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
WORKDIR /app

# Dependencies first, exactly the committed lock (every package pinned, with hashes): this
# layer is rebuilt only when the lock changes, not on every code edit.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

# Then the code, installed without touching the dependencies (gives the console script
# docker-compose.yml's commands use; `python -m cli.main` runs the same from /app).
COPY pyproject.toml README.md ./
COPY cli ./cli
COPY agent ./agent
COPY genie_local ./genie_local
COPY services ./services
RUN pip install --no-deps . \
    && mkdir -p /app/data \
    && chown app:app /app/data

USER app
# The demo database and anything else a service writes; a volume in docker-compose.yml.
VOLUME ["/app/data"]
ENV LOCAL_GENIE_DB=/app/data/inventory.duckdb

CMD ["inventory-agent", "--help"]
