package com.lakewall.connect.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Resolves {@code ${secretsmanager:<secret ARN or name>:<key>}} in connector configs from AWS Secrets
 * Manager, so a connector config (stored verbatim in Connect's config topic and served by its REST
 * API) holds a reference only and the worker reads the secret in-process.
 *
 * <p>The secret's string is a JSON object ({@code {"username":..,"password":..}}); a key is one of its
 * fields. Worker configuration: {@code config.providers.secretsmanager.param.region} (required),
 * {@code ...param.endpoint} (an endpoint override, for tests against a Secrets Manager stand-in) and
 * {@code ...param.ttl.ms} (when set, returned with every value: Connect then restarts the connector
 * when it expires, to pick up a rotated secret; unset by default, because a scheduled restart of
 * Debezium and the sinks costs a rebalance and a lag spike each time, and this platform rotates the
 * database role's password by a reviewed change that restarts the connectors anyway). A fetched
 * secret is reused for five minutes (or the TTL, if shorter), so the tasks of one connector starting
 * together make one call. Credentials come
 * from the SDK's default chain: on MSK Connect, the connector's service execution role.
 *
 * <p>No message this class produces contains a secret's value: errors name the secret and the key,
 * and the SDK's or the JSON parser's own exceptions are not chained (a parser's message may quote
 * the text it failed on).
 */
public final class SecretsManagerConfigProvider implements ConfigProvider {
  public static final String REGION = "region";
  public static final String ENDPOINT = "endpoint";
  public static final String TTL_MS = "ttl.ms";
  /** How long a fetched secret is reused when no TTL is configured. */
  static final long CACHE_MS = Duration.ofMinutes(5).toMillis();
  /** What the path of a reference by ARN is once Kafka's ConfigTransformer has split it (see get). */
  private static final String ARN_PATH = "arn";

  private static final class Cached {
    final Map<String, String> fields;
    final long fetchedAtNanos;

    Cached(Map<String, String> fields, long fetchedAtNanos) {
      this.fields = fields;
      this.fetchedAtNanos = fetchedAtNanos;
    }
  }

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private SecretsManagerClient client;
  private String region;
  /** The TTL returned with every value; null (none) unless configured. */
  private Long ttlMs = null;
  private long cacheMs = CACHE_MS;

  @Override
  public void configure(Map<String, ?> configs) {
    region = stringParam(configs, REGION);
    if (region == null || region.isBlank())
      throw new ConfigException(
          "the secretsmanager config provider needs a region (config.providers.secretsmanager.param.region)");
    String ttl = stringParam(configs, TTL_MS);
    if (ttl != null) {
      try {
        ttlMs = Long.parseLong(ttl.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(TTL_MS, ttl, "must be a whole number of milliseconds");
      }
      if (ttlMs <= 0) throw new ConfigException(TTL_MS, ttl, "must be positive");
      cacheMs = Math.min(CACHE_MS, ttlMs);
    }
    SecretsManagerClientBuilder builder =
        SecretsManagerClient.builder()
            .region(Region.of(region.trim()))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)));
    String endpoint = stringParam(configs, ENDPOINT);
    if (endpoint != null && !endpoint.isBlank()) {
      try {
        builder.endpointOverride(URI.create(endpoint.trim()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ENDPOINT, endpoint, "is not a URI");
      }
    }
    client = builder.build();
  }

  /** Every field of the secret at {@code path}. */
  @Override
  public ConfigData get(String path) {
    return new ConfigData(new LinkedHashMap<>(fields(path)), ttlMs);
  }

  /**
   * The named fields of the secret at {@code path}; a missing one fails the whole lookup.
   *
   * <p>Kafka's ConfigTransformer splits {@code ${provider:path:key}} at the first colon after the
   * provider, so a reference by ARN ({@code ${secretsmanager:arn:aws:secretsmanager:<region>:
   * <account>:secret:<name>:password}}) arrives as path {@code arn} and key {@code aws:...:password}.
   * Such a key is put back together: the secret is the ARN up to its last colon, the field what
   * follows. The result is keyed by the key as it arrived, which is what the transformer looks up.
   */
  @Override
  public ConfigData get(String path, Set<String> keys) {
    Map<String, String> data = new LinkedHashMap<>();
    for (String key : keys) {
      String secret = path;
      String field = key;
      if (ARN_PATH.equals(path)) {
        String arn = ARN_PATH + ":" + key;
        int colon = arn.lastIndexOf(':');
        if (key.indexOf(':') < 0 || colon == arn.length() - 1)
          throw new ConfigException(
              "a secretsmanager reference by ARN needs a key after the ARN: ${secretsmanager:<ARN>:<key>}");
        secret = arn.substring(0, colon);
        field = arn.substring(colon + 1);
      }
      Map<String, String> fields = fields(secret);
      String value = fields.get(field);
      if (value == null)
        throw new ConfigException(
            "secret '" + secret + "' has no key '" + field + "' (its keys: "
                + String.join(", ", new TreeSet<>(fields.keySet())) + ")");
      data.put(key, value);
    }
    return new ConfigData(data, ttlMs);
  }

  @Override
  public void close() {
    cache.clear();
    if (client != null) client.close();
  }

  private Map<String, String> fields(String path) {
    if (client == null)
      throw new IllegalStateException("the secretsmanager config provider is not configured");
    if (path == null || path.isBlank() || ARN_PATH.equals(path))
      throw new ConfigException(
          "a secretsmanager reference needs a secret ARN or name: ${secretsmanager:<secret>:<key>}");
    // A fresh entry is reused; after that the secret is fetched again, so a connector restarted
    // after a rotation (by an operator, or by Connect when a configured TTL expires) reads the new value.
    Cached hit = cache.get(path);
    long now = System.nanoTime();
    if (hit != null && now - hit.fetchedAtNanos < Duration.ofMillis(cacheMs).toNanos()) return hit.fields;
    Map<String, String> fields = parse(path, fetch(path));
    cache.put(path, new Cached(fields, now));
    return fields;
  }

  private String fetch(String path) {
    GetSecretValueResponse response;
    try {
      response = client.getSecretValue(r -> r.secretId(path));
    } catch (ResourceNotFoundException e) {
      throw new ConfigException(
          "secret '" + path + "' was not found in Secrets Manager (region " + region + ")");
    } catch (SecretsManagerException e) {
      // The service's error code and message describe the request (access denied, decryption
      // failure), never the secret's value.
      throw new ConfigException(
          "reading secret '" + path + "' from Secrets Manager (region " + region + ") failed: "
              + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw new ConfigException(
          "reading secret '" + path + "' from Secrets Manager (region " + region + ") failed: "
              + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (response.secretString() == null)
      throw new ConfigException(
          "secret '" + path + "' has no string value (a binary secret cannot hold JSON keys)");
    return response.secretString();
  }

  /** The secret string's top-level fields; strings as they are, numbers and booleans as text. */
  private static Map<String, String> parse(String path, String secret) {
    JsonNode root;
    try {
      root = JsonNode.parser().parse(secret);
    } catch (RuntimeException e) {
      // Not chained: the parser's message can quote the secret.
      throw new ConfigException("secret '" + path + "' is not JSON (expected an object of keys)");
    }
    if (!root.isObject())
      throw new ConfigException("secret '" + path + "' is not a JSON object (expected an object of keys)");
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.asObject().entrySet()) {
      JsonNode v = e.getValue();
      if (v.isString()) fields.put(e.getKey(), v.asString());
      else if (v.isNumber()) fields.put(e.getKey(), v.asNumber());
      else if (v.isBoolean()) fields.put(e.getKey(), Boolean.toString(v.asBoolean()));
      // Nested objects, arrays and nulls are no connector setting: they are left out, so asking
      // for one fails as a missing key.
    }
    return Collections.unmodifiableMap(fields);
  }

  private static String stringParam(Map<String, ?> configs, String name) {
    Object v = configs.get(name);
    return v == null ? null : v.toString();
  }
}
