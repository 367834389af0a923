-- Marsad store, schema version 4: who says what (claims), the same incident across reports
-- (incidents, incident_reports) and where accounts disagree (contradictions).
--
-- Every id is a stable hash of content, so processing or linking again replaces rows instead of
-- adding copies:
--   claims.id          sha1(document_id, field, start, end, kind, holder_id, topic)[:20]   "cl_…"
--   incidents.id       sha1(smallest event id of the incident)[:16]                        "in_…"
--   contradictions.id  sha1(aspect, sorted side keys)[:20]                                  "cx_…"
-- Claims belong to their document: they are deleted and inserted with its events and tallies.
-- Incidents, incident_reports and contradictions are written by `marsad link`, which replaces
-- them all in one transaction (they depend on every document in the store).
-- Evidence columns hold the JSON list of {role, start, end, text, field} (offsets into the
-- document field named, as for events).

CREATE TABLE IF NOT EXISTS claims (
    id              VARCHAR PRIMARY KEY,
    document_id     VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,          -- event | tally | statement
    holder          VARCHAR NOT NULL,          -- English name of who asserts it ('outlet' = the outlet itself)
    holder_id       VARCHAR NOT NULL,          -- id in lexicon holders.yaml ('outlet' for the outlet itself)
    holder_type     VARCHAR NOT NULL,          -- outlet | news_agency | monitor | activists | sources | party_media | government | military | coalition | armed_group | witness | official
    holder_party    VARCHAR,                   -- actor id of the party the holder speaks for (SDF media -> SDF), NULL if independent
    holder_text     VARCHAR,                   -- the holder's words as printed
    cue             VARCHAR,                   -- the reporting cue as printed («أكد», «بحسب», «نفى») or NULL
    cue_id          VARCHAR,                   -- id of the cue in attribution.yaml / holders.yaml
    stance          VARCHAR NOT NULL,          -- asserts | denies | alleges | reports_uncertain
    subject         VARCHAR,                   -- what the claim is about: an actor id, 'incident', ...
    topic           VARCHAR NOT NULL,          -- event | tally | group_status | group_strength | responsibility | ...
    "value"         VARCHAR,                   -- the claimed value for the topic (e.g. defeated, active, landmine)
    "values"        JSON NOT NULL,             -- every comparable value: {"cause":…, "perpetrator":…, "fatalities":[lo,hi], "location":…}
    event_id        VARCHAR,                   -- the event this claim reports (kind = event)
    tally_id        VARCHAR,                   -- the tally this claim reports (kind = tally)
    claim_date      DATE,                      -- when the claimed thing happened/holds, else when it was said
    date_text       VARCHAR,
    sentence        VARCHAR NOT NULL,          -- the sentence the claim was read from
    "start"         INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    field           VARCHAR NOT NULL,
    evidence        JSON NOT NULL,
    confidence      DOUBLE NOT NULL,
    run_id          VARCHAR NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS incidents (
    id                  VARCHAR PRIMARY KEY,
    event_type          VARCHAR NOT NULL,
    sub_event_type      VARCHAR,
    event_date          DATE,                  -- earliest date reported
    date_high           DATE,                  -- latest date reported
    iso                 VARCHAR,
    admin1              VARCHAR,
    location            VARCHAR,
    latitude            DOUBLE,
    longitude           DOUBLE,
    actor1              VARCHAR,
    actor2              VARCHAR,
    fatalities          INTEGER NOT NULL,      -- ACLED rule: the lowest of the conflicting figures
    fatalities_low      INTEGER NOT NULL,
    fatalities_high     INTEGER NOT NULL,
    n_reports           INTEGER NOT NULL,      -- events linked
    n_documents         INTEGER NOT NULL,
    n_outlets           INTEGER NOT NULL,      -- independent outlets among the documents
    outlets             VARCHAR[] NOT NULL,
    grade               VARCHAR NOT NULL,      -- confirmed | corroborated | single_source | contested
    grade_reason        VARCHAR NOT NULL,
    n_contradictions    INTEGER NOT NULL,
    link_run            VARCHAR NOT NULL,
    created_at          TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS incident_reports (
    incident_id     VARCHAR NOT NULL,
    event_id        VARCHAR NOT NULL,
    document_id     VARCHAR NOT NULL,
    outlet          VARCHAR,
    linked_to       VARCHAR,                   -- the event of the incident this one was matched with (NULL for the first)
    score           DOUBLE NOT NULL,           -- link score against linked_to (1.0 for the first)
    features        JSON NOT NULL,             -- why: {"date_days":…, "distance_km":…, "type":…, "actors":…, "similarity":…, "matched":[…]}
    PRIMARY KEY (incident_id, event_id)
);

CREATE TABLE IF NOT EXISTS contradictions (
    id                VARCHAR PRIMARY KEY,
    scope             VARCHAR NOT NULL,        -- document (competing claims in one article) | incident (across reports)
    aspect            VARCHAR NOT NULL,        -- cause | perpetrator | fatalities | location | existence | group_status
    incident_id       VARCHAR,
    subject           VARCHAR,
    a_value           VARCHAR NOT NULL,
    a_holder          VARCHAR NOT NULL,
    a_holder_type     VARCHAR,
    a_source          VARCHAR,                 -- the outlet that published side a
    a_document_id     VARCHAR NOT NULL,
    a_event_id        VARCHAR,
    a_claim_id        VARCHAR,
    a_evidence        JSON NOT NULL,
    b_value           VARCHAR NOT NULL,
    b_holder          VARCHAR NOT NULL,
    b_holder_type     VARCHAR,
    b_source          VARCHAR,
    b_document_id     VARCHAR NOT NULL,
    b_event_id        VARCHAR,
    b_claim_id        VARCHAR,
    b_evidence        JSON NOT NULL,
    explanation       VARCHAR NOT NULL,
    link_run          VARCHAR NOT NULL,
    created_at        TIMESTAMP NOT NULL
);

CREATE INDEX IF NOT EXISTS claims_document_id ON claims (document_id);
CREATE INDEX IF NOT EXISTS claims_event_id ON claims (event_id);
CREATE INDEX IF NOT EXISTS incident_reports_event_id ON incident_reports (event_id);
CREATE INDEX IF NOT EXISTS contradictions_incident_id ON contradictions (incident_id);
