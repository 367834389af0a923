-- Marsad store, schema version 5: the analyst workspace.
--
-- event_reviews is the audit log of reviewers' decisions on events (append only). The events
-- table keeps the machine's values; an event's reviewed values are its machine values with the
-- cumulative corrections of its latest review (``state``) laid over them. Each row keeps:
--   action    confirm | reject | correct (what the reviewer did)
--   status    confirmed | rejected | corrected (the event's review status after this review)
--   changes   {field: new value} given by this review
--   original  {field: machine value} of every reviewable field, as extraction stored it
--   state     {field: value} of every correction made so far (changes of earlier reviews included)
--   revision  1, 2, 3… per event: the latest review is the one with the highest revision
--
-- document_search holds each document's title and text in the normal form used for matching
-- (marsad.arabic.normalize), refreshed by the workspace when a document's text_hash changes, so
-- that an Arabic search does not normalise every article at every query.
CREATE TABLE event_reviews (
    review_id    VARCHAR PRIMARY KEY,
    event_id     VARCHAR NOT NULL,
    revision     INTEGER NOT NULL,
    action       VARCHAR NOT NULL CHECK (action IN ('confirm', 'reject', 'correct')),
    status       VARCHAR NOT NULL CHECK (status IN ('confirmed', 'rejected', 'corrected')),
    reviewer     VARCHAR NOT NULL,
    reviewed_at  TIMESTAMP NOT NULL,
    changes      JSON NOT NULL,
    original     JSON NOT NULL,
    state        JSON NOT NULL,
    note         VARCHAR,
    UNIQUE (event_id, revision)
);

CREATE TABLE document_search (
    document_id  VARCHAR PRIMARY KEY,
    text_hash    VARCHAR NOT NULL,
    norm         VARCHAR NOT NULL
);

CREATE INDEX event_reviews_event_id ON event_reviews (event_id);
