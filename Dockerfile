# One image for every service of the stack; docker-compose.yml gives each its command:
#   inventory-agent genie serve | serve-agent | worker | api | ui | data generate
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
WORKDIR /app

# Dependencies first, read from pyproject.toml alone: this layer is rebuilt only when the
# dependency list changes, not on every code edit.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code, installed without touching the dependencies (gives the console script).
COPY README.md ./
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
