package io.replaybuffer.platform.security;

/** Who is asking, as plain data services can take without depending on the request scope. */
public record Caller(String id, boolean admin) {

    /** True when the caller may see or change a resource owned by {@code ownerId}. */
    public boolean mayAccess(String ownerId) {
        return admin || id.equals(ownerId);
    }
}
