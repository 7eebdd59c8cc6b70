package io.replaybuffer.platform.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Endpoint URLs leave the database without what may be a secret: user info and the query. */
class EndpointTest {

    @Test
    void userInfoAndQueryAreNeverShown() {
        assertThat(Endpoint.shown("https://bot:s3cret@game.example.com:8443/hooks/replay?token=abc"))
                .isEqualTo("https://game.example.com:8443/hooks/replay");
        assertThat(Endpoint.shown("http://127.0.0.1:9000/a")).isEqualTo("http://127.0.0.1:9000/a");
        assertThat(Endpoint.shown("not a url")).isEqualTo("(unreadable URL)");
    }
}
