-- Domains the operator cut off (Mastodon's domain blocks with severity "suspend"): nothing is
-- received from them or sent to them, and their subdomains go with them.
CREATE TABLE instance_domain_block (
    domain     TEXT   PRIMARY KEY,
    created_at BIGINT NOT NULL
);
