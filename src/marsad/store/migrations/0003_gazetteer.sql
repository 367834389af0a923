-- Marsad store, schema version 3: the user's gazetteer (marsad gazetteer import).
-- One row per imported place (marsad.geo.model.GazRow); `source` is the imported file's name and
-- `id` is unique within it (a GeoNames id, or the row's line number), so importing a file again
-- replaces its rows. Arabic forms from a GeoNames alternate-names file go to gazetteer_names and
-- are joined by geonameid to every row, embedded or imported. Same columns as marsad.geo.sql.
CREATE TABLE IF NOT EXISTS gazetteer (
    source        VARCHAR NOT NULL,
    id            VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    latitude      DOUBLE NOT NULL,
    longitude     DOUBLE NOT NULL,
    kind          VARCHAR NOT NULL,
    iso           VARCHAR,
    admin1        VARCHAR,
    admin2        VARCHAR,
    geonameid     BIGINT,
    name_ar       VARCHAR,
    names         VARCHAR[] NOT NULL,
    population    BIGINT NOT NULL,
    feature_code  VARCHAR,
    note          VARCHAR,
    imported_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (source, id)
);

CREATE TABLE IF NOT EXISTS gazetteer_names (
    geonameid  BIGINT NOT NULL,
    name       VARCHAR NOT NULL,
    source     VARCHAR NOT NULL,
    PRIMARY KEY (geonameid, name)
);

CREATE INDEX IF NOT EXISTS gazetteer_geonameid ON gazetteer (geonameid);
