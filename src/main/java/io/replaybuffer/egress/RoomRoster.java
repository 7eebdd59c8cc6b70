package io.replaybuffer.egress;

import java.util.Optional;

/** Who is in a room and what they publish, so the service only records tracks that belong to the caller. */
public interface RoomRoster {

    Optional<Participant> participant(String roomName, String identity);
}
