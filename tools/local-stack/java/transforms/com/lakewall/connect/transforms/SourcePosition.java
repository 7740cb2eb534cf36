/*
 * lakewall: copies a Debezium change event's source position into its row images, so the lake keeps
 * where in the database's log each change came from.
 *
 * Iceberg's DebeziumTransform turns an envelope into the row image (`after`, or `before` for a
 * delete) plus `_cdc`, and drops the envelope's `source` block: the PostgreSQL LSN, the transaction
 * id and the commit time would be lost. Run before it, this transform adds them to both images as
 * `_source_lsn`, `_source_txid` (optional int64) and `_source_ts` (optional timestamp, the commit
 * time in the database), typed (Avro/JSON with schemas: a Struct) or schemaless (a Map).
 * Records without an envelope (tombstones, heartbeats, anything else) pass through unchanged.
 */
package com.lakewall.connect.transforms;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.transforms.Transformation;

public class SourcePosition<R extends ConnectRecord<R>> implements Transformation<R> {
  public static final String LSN = "_source_lsn";
  public static final String TXID = "_source_txid";
  public static final String TS = "_source_ts";
  private static final Schema OPTIONAL_TS = Timestamp.builder().optional().build();

  /** Envelope schema -> the same envelope with the position fields in its images. */
  private final Map<Schema, Schema> envelopes = new ConcurrentHashMap<>();

  @Override
  public R apply(R record) {
    Object value = record.value();
    if (value instanceof Struct envelope && hasImages(envelope.schema())) {
      Struct out = withPosition(envelope);
      return record.newRecord(
          record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
          out.schema(), out, record.timestamp(), record.headers());
    }
    if (value instanceof Map<?, ?> map && map.get("source") instanceof Map<?, ?> source) {
      Map<String, Object> out = new HashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
      for (String image : new String[] {"before", "after"}) {
        if (map.get(image) instanceof Map<?, ?> row) {
          Map<String, Object> copy = new HashMap<>();
          row.forEach((k, v) -> copy.put(String.valueOf(k), v));
          copy.put(LSN, asLong(source.get("lsn")));
          copy.put(TXID, asLong(source.get("txId")));
          Long ts = asLong(source.get("ts_ms"));
          copy.put(TS, ts == null ? null : new Date(ts));
          out.put(image, copy);
        }
      }
      return record.newRecord(
          record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
          null, out, record.timestamp(), record.headers());
    }
    return record;
  }

  private static boolean hasImages(Schema s) {
    return s.type() == Schema.Type.STRUCT && s.field("source") != null
        && (s.field("after") != null || s.field("before") != null);
  }

  private Struct withPosition(Struct envelope) {
    Schema schema = envelopes.computeIfAbsent(envelope.schema(), SourcePosition::extend);
    Struct source = envelope.getStruct("source");
    Long lsn = source == null ? null : optionalLong(source, "lsn");
    Long txId = source == null ? null : optionalLong(source, "txId");
    Long ts = source == null ? null : optionalLong(source, "ts_ms");
    Struct out = new Struct(schema);
    for (Field f : envelope.schema().fields()) {
      Object v = envelope.get(f);
      if ((f.name().equals("after") || f.name().equals("before")) && v instanceof Struct row) {
        Struct image = new Struct(schema.field(f.name()).schema());
        for (Field rf : row.schema().fields()) image.put(rf.name(), row.get(rf));
        image.put(LSN, lsn);
        image.put(TXID, txId);
        image.put(TS, ts == null ? null : new Date(ts));
        out.put(f.name(), image);
      } else {
        out.put(f.name(), v);
      }
    }
    return out;
  }

  private static Schema extend(Schema envelope) {
    SchemaBuilder b = copyHeader(SchemaBuilder.struct(), envelope);
    for (Field f : envelope.fields()) {
      boolean image = f.name().equals("after") || f.name().equals("before");
      b.field(f.name(), image && f.schema().type() == Schema.Type.STRUCT ? extendImage(f.schema()) : f.schema());
    }
    return b.build();
  }

  private static Schema extendImage(Schema row) {
    SchemaBuilder b = copyHeader(SchemaBuilder.struct(), row);
    for (Field f : row.fields()) b.field(f.name(), f.schema());
    b.field(LSN, Schema.OPTIONAL_INT64_SCHEMA);
    b.field(TXID, Schema.OPTIONAL_INT64_SCHEMA);
    b.field(TS, OPTIONAL_TS);
    return b.build();
  }

  private static SchemaBuilder copyHeader(SchemaBuilder b, Schema s) {
    if (s.name() != null) b.name(s.name());
    if (s.version() != null) b.version(s.version());
    if (s.doc() != null) b.doc(s.doc());
    if (s.isOptional()) b.optional();
    return b;
  }

  private static Long optionalLong(Struct s, String field) {
    if (s.schema().field(field) == null) return null;
    return asLong(s.get(field));
  }

  private static Long asLong(Object v) {
    return v instanceof Number n ? n.longValue() : null;
  }

  @Override
  public ConfigDef config() {
    return new ConfigDef();
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
