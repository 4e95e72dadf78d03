-- Counts the changes that alter how stored statuses are shown without touching their own rows
-- or their authors' (custom emojis added, removed or moved; new descriptions of attached
-- media). A view of a status cached under an older count is not used again.
CREATE TABLE render_generation (
    id    BIGINT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO render_generation (id, value) VALUES (1, 0);
