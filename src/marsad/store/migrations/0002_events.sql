-- Marsad store, schema version 2: what extraction found in each processed document.
-- One row per marsad.extract.model.Event / Tally, every field a column of the same name; evidence
-- is the JSON list of {role, start, end, text, field}. A document processed again has its rows
-- replaced (deleted by document_id, then inserted) in the transaction that stores the document.
CREATE TABLE events (
    id                  VARCHAR PRIMARY KEY,        -- stable hash given by extraction
    document_id         VARCHAR NOT NULL,
    event_type          VARCHAR NOT NULL,
    sub_event_type      VARCHAR NOT NULL,
    disorder_type       VARCHAR NOT NULL,
    trigger             VARCHAR NOT NULL,           -- trigger id in lexicon events.yaml
    plover_type         VARCHAR,
    plover_mode         VARCHAR,
    event_date          DATE,
    time_precision      INTEGER,
    date_reason         VARCHAR,
    actor1              VARCHAR,
    actor1_id           VARCHAR,
    inter1              INTEGER,
    assoc_actor_1       VARCHAR,
    actor2              VARCHAR,
    actor2_id           VARCHAR,
    inter2              INTEGER,
    assoc_actor_2       VARCHAR,
    interaction         INTEGER,
    civilian_targeting  BOOLEAN NOT NULL,
    country             VARCHAR,
    iso                 VARCHAR,                    -- ISO 3166-1 alpha-2
    admin1              VARCHAR,
    admin2              VARCHAR,
    admin3              VARCHAR,
    location            VARCHAR,
    latitude            DOUBLE,
    longitude           DOUBLE,
    geo_precision       INTEGER,
    geonameid           BIGINT,
    place_mention       VARCHAR,
    place_reason        VARCHAR,
    fatalities          INTEGER NOT NULL,
    fatalities_low      INTEGER NOT NULL,
    fatalities_high     INTEGER NOT NULL,
    injured             INTEGER NOT NULL,
    abducted            INTEGER NOT NULL,
    stance              VARCHAR NOT NULL,
    source_attribution  VARCHAR NOT NULL,
    confidence          DOUBLE NOT NULL,
    claim_status        VARCHAR,
    "start"             INTEGER NOT NULL,
    "end"               INTEGER NOT NULL,
    field               VARCHAR NOT NULL,
    evidence            JSON NOT NULL,
    notes               VARCHAR NOT NULL,
    run_id              VARCHAR NOT NULL,
    created_at          TIMESTAMP NOT NULL
);

CREATE TABLE tallies (
    id                    VARCHAR PRIMARY KEY,
    document_id           VARCHAR NOT NULL,
    period_start          DATE,
    period_end            DATE,
    period_text           VARCHAR,
    area                  VARCHAR,
    country               VARCHAR,
    iso                   VARCHAR,
    actors                VARCHAR[] NOT NULL,
    victims               VARCHAR,
    fatalities            INTEGER NOT NULL,
    fatalities_low        INTEGER NOT NULL,
    fatalities_high       INTEGER NOT NULL,
    fatalities_qualifier  VARCHAR NOT NULL,
    injured               INTEGER NOT NULL,
    methods               VARCHAR[] NOT NULL,
    source_attribution    VARCHAR NOT NULL,
    stance                VARCHAR NOT NULL,
    confidence            DOUBLE NOT NULL,
    "start"               INTEGER NOT NULL,
    "end"                 INTEGER NOT NULL,
    field                 VARCHAR NOT NULL,
    evidence              JSON NOT NULL,
    run_id                VARCHAR NOT NULL,
    created_at            TIMESTAMP NOT NULL
);

CREATE INDEX events_document_id ON events (document_id);
CREATE INDEX events_event_date ON events (event_date);
CREATE INDEX tallies_document_id ON tallies (document_id);
