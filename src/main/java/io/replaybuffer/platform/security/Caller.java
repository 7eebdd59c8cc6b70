package io.replaybuffer.platform.security;

/**
 * Who is asking, as plain data services can take without depending on the request scope.
 *
 * <p>Three roles (api.md, "Roles"): a user acts on their own resources; a game server (the platform's backend) may act
 * for any player, but only reads what it created itself; an admin may do everything.
 */
public record Caller(String id, boolean admin, boolean gameServer) {

    /** A plain user: neither admin nor game server. */
    public static Caller user(String id) {
        return new Caller(id, false, false);
    }

    /** True when the caller may see or change a resource owned by {@code ownerId}. */
    public boolean mayAccess(String ownerId) {
        return admin || id.equals(ownerId);
    }

    /** True when the caller may act on behalf of {@code ownerId}: mark moments and capture for them. */
    public boolean mayActFor(String ownerId) {
        return admin || gameServer || id.equals(ownerId);
    }
}
