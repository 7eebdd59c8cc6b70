import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * Mints an RS256 JWT with the development key (JDK only, so the script needs no build):
 * {@code java DevToken.java PRIVATE_KEY_PEM USER [ROLE...]}. Valid for 24 hours; issuer replay-buffer-dev.
 */
public class DevToken {

    public static void main(String[] args) throws Exception {
        String pem = Files.readString(Path.of(args[0]))
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        String user = args[1];
        String groups = Arrays.stream(args, 2, args.length).map(DevToken::quote).collect(Collectors.joining(","));
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"replay-buffer-dev\",\"sub\":" + quote(user) + ",\"upn\":" + quote(user)
                + ",\"groups\":[" + groups + "],\"iat\":" + now + ",\"exp\":" + (now + 86_400) + "}";
        String unsigned = base64(header.getBytes(StandardCharsets.UTF_8)) + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(unsigned.getBytes(StandardCharsets.US_ASCII));
        System.out.println(unsigned + "." + base64(signer.sign()));
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
