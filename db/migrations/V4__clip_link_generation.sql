-- Revocable share links. A link is signed for the clip's link generation at the time it was made; revoking the
-- links (DELETE /api/v1/clips/{id}/links) or making the clip PRIVATE moves the generation on, and every link signed
-- for an older one stops working. Existing clips start at 0, which signs exactly as links did before this column,
-- so links already handed out keep working until their expiry.

ALTER TABLE clips ADD COLUMN link_generation integer NOT NULL DEFAULT 0 CHECK (link_generation >= 0);
