-- Marsad store, schema version 1: runs, the ledger of every input record, documents.
CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    status          VARCHAR NOT NULL,          -- running | completed | interrupted
    marsad_version  VARCHAR NOT NULL,
    inputs          JSON,
    options         JSON,
    counts          JSON
);

CREATE TABLE ledger (
    record_id       VARCHAR PRIMARY KEY,       -- sha1(input path, locator)[:20]
    input_path      VARCHAR NOT NULL,
    locator         VARCHAR NOT NULL,          -- '' | line:N | offset:N | item:N
    input_kind      VARCHAR NOT NULL,
    external_id     VARCHAR,
    url             VARCHAR,
    source          VARCHAR,
    content_hash    VARCHAR NOT NULL,
    size_bytes      BIGINT,
    status          VARCHAR NOT NULL CHECK (status IN ('processed', 'duplicate', 'skipped', 'failed')),
    reason          VARCHAR,
    duplicate_of    VARCHAR,
    document_id     VARCHAR,
    encoding        VARCHAR,
    language        VARCHAR,
    run_id          VARCHAR NOT NULL,
    first_seen      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    attempts        INTEGER NOT NULL
);

CREATE TABLE documents (
    document_id      VARCHAR PRIMARY KEY,
    record_id        VARCHAR NOT NULL,
    external_id      VARCHAR,
    input_path       VARCHAR NOT NULL,
    locator          VARCHAR NOT NULL,
    input_kind       VARCHAR NOT NULL,
    url              VARCHAR,
    source           VARCHAR,
    publisher        VARCHAR,
    title            VARCHAR NOT NULL,
    published        DATE,
    published_source VARCHAR,
    text             VARCHAR NOT NULL,
    text_hash        VARCHAR NOT NULL,
    language         VARCHAR,
    language_score   DOUBLE,
    encoding         VARCHAR,
    byline           VARCHAR,
    signature        VARCHAR,
    raw_segments     JSON,
    title_segments   JSON,
    removed          JSON,
    metadata         JSON,
    minhash          BLOB,
    run_id           VARCHAR NOT NULL,
    created_at       TIMESTAMP NOT NULL
);

CREATE TABLE document_raw (
    document_id  VARCHAR PRIMARY KEY,
    raw          VARCHAR NOT NULL
);

CREATE INDEX documents_text_hash ON documents (text_hash);
CREATE INDEX ledger_status ON ledger (status);
