-- The render options chosen at upload (size, scale, position, shadow, crop, margin, max_size; a
-- preset already expanded), as a query string: the job's result is its cutout rendered so.
ALTER TABLE jobs ADD COLUMN render_options TEXT;
