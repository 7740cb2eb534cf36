import com.lakewall.connect.config.SecretsManagerConfigProvider;
import java.util.Map;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.ConfigTransformerResult;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * The config provider test's harness (config-providers.int.spec.ts), launched as a single source
 * file: configures lakewall's Secrets Manager config provider as a worker would
 * (config.providers.secretsmanager.param.*) and resolves each argument, a connector config value
 * such as ${secretsmanager:<arn>:password}, through Kafka's own ConfigTransformer, the class a
 * Connect worker resolves connector configs with. One line per argument on stdout:
 * `OK <ttl ms> <value>` or `ERROR <exception class> <message>`, tab-separated; a failure's full
 * stack trace goes to stderr, so the test can check that no trace carries the secret either.
 *
 * Usage: java -cp <kafka-clients + the plugin's lib/*> ResolveSecretRefs.java <region> <endpoint> <value>...
 */
public class ResolveSecretRefs {
  public static void main(String[] args) throws Exception {
    ConfigProvider provider = new SecretsManagerConfigProvider();
    Map<String, String> settings = new java.util.HashMap<>(Map.of("region", args[0], "endpoint", args[1]));
    // The worker's optional TTL setting (config.providers.secretsmanager.param.ttl.ms).
    String ttlMs = System.getenv("PROVIDER_TTL_MS");
    if (ttlMs != null) settings.put("ttl.ms", ttlMs);
    provider.configure(settings);
    ConfigTransformer transformer = new ConfigTransformer(Map.of("secretsmanager", provider));
    for (int i = 2; i < args.length; i++) {
      try {
        ConfigTransformerResult r = transformer.transform(Map.of("value", args[i]));
        Long ttl = r.ttls().values().stream().findFirst().orElse(null);
        System.out.println("OK\t" + ttl + "\t" + r.data().get("value"));
      } catch (RuntimeException e) {
        System.out.println("ERROR\t" + e.getClass().getName() + "\t" + String.valueOf(e.getMessage()).replace('\n', ' '));
        e.printStackTrace();
      }
    }
    provider.close();
  }
}
