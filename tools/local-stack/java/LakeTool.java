// The local lake's Iceberg client, run with the Iceberg sink plugin's own jars on the classpath
// (java -cp '<plugin>/lib/*' LakeTool.java <command>), so the tables are declared and read by the
// same Iceberg code that writes them. Input: one JSON document on stdin (secrets travel there, never
// in arguments). Output: JSON on stdout.
//   declare  {catalog, tables: [{namespace, name, schema, partitionBy, location}]}  creates what is missing,
//            adds missing columns and evolves the partition spec of what exists
//   ls       {catalog, namespaces: [...]}        tables with snapshot count, rows, last commit time
//   scan     {catalog, table, limit, where?}     rows as JSON objects, newest snapshot ({column: [values]})
//   snapshots {catalog, table}                   each snapshot's commit time and rows added
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

public class LakeTool {
  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    JsonNode in = JSON.readTree(System.in);
    Catalog catalog = catalog(in.get("catalog"));
    JsonNode out =
        switch (args.length > 0 ? args[0] : "") {
          case "declare" -> declare(catalog, in.get("tables"));
          case "ls" -> ls(catalog, in.get("namespaces"));
          case "scan" -> scan(catalog, in.get("table").asText(), in.path("limit").asInt(20), in.path("where"));
          case "snapshots" -> snapshots(catalog, in.get("table").asText());
          default -> throw new IllegalArgumentException("usage: LakeTool declare|ls|scan|snapshots < input.json");
        };
    System.out.println(JSON.writeValueAsString(out));
    if (catalog instanceof AutoCloseable c) c.close();
  }

  static Catalog catalog(JsonNode c) {
    Map<String, String> props = new HashMap<>();
    c.get("props").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
    return CatalogUtil.buildIcebergCatalog(c.get("name").asText(), props, null);
  }

  static JsonNode declare(Catalog catalog, JsonNode tables) {
    ArrayNode created = JSON.createArrayNode();
    ArrayNode evolved = JSON.createArrayNode();
    for (JsonNode t : tables) {
      Namespace ns = Namespace.of(t.get("namespace").asText());
      if (catalog instanceof SupportsNamespaces n && !n.namespaceExists(ns)) n.createNamespace(ns);
      TableIdentifier id = TableIdentifier.of(ns, t.get("name").asText());
      Schema schema = SchemaParser.fromJson(t.get("schema").toString());
      if (catalog.tableExists(id)) {
        if (evolve(catalog.loadTable(id), schema, t.get("partitionBy"))) evolved.add(id.toString());
        continue;
      }
      PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
      for (JsonNode p : t.get("partitionBy")) {
        if (!"day".equals(p.get("transform").asText()))
          throw new IllegalArgumentException("unsupported partition transform " + p);
        spec.day(p.get("column").asText(), p.get("name").asText());
      }
      Map<String, String> props = new HashMap<>();
      props.put("format-version", "2");
      props.put("write.parquet.compression-codec", "zstd");
      catalog.createTable(id, schema, spec.build(), t.get("location").asText(), props);
      created.add(id.toString());
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("created", created);
    out.set("evolved", evolved);
    return out;
  }

  /**
   * Brings an existing table to the model: adds the top-level columns it lacks (optional, so every
   * row written before reads as null; never drops or retypes one) and moves the partition spec to
   * the declared one (Iceberg partition evolution: old files keep their old partitioning).
   */
  static boolean evolve(Table table, Schema declared, JsonNode partitionBy) {
    boolean changed = false;
    org.apache.iceberg.UpdateSchema update = table.updateSchema();
    for (Types.NestedField f : declared.columns()) {
      if (table.schema().findField(f.name()) == null) {
        update.addColumn(f.name(), f.type(), f.doc());
        changed = true;
      }
    }
    if (changed) update.commit();
    java.util.Set<String> wanted = new java.util.HashSet<>();
    for (JsonNode p : partitionBy) wanted.add(p.get("name").asText());
    java.util.Set<String> have = new java.util.HashSet<>();
    table.spec().fields().forEach(f -> have.add(f.name()));
    if (!have.equals(wanted)) {
      org.apache.iceberg.UpdatePartitionSpec spec = table.updateSpec();
      for (String name : have) if (!wanted.contains(name)) spec.removeField(name);
      for (JsonNode p : partitionBy)
        if (!have.contains(p.get("name").asText()))
          spec.addField(p.get("name").asText(), org.apache.iceberg.expressions.Expressions.day(p.get("column").asText()));
      spec.commit();
      changed = true;
    }
    return changed;
  }

  static JsonNode ls(Catalog catalog, JsonNode namespaces) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode nsName : namespaces) {
      Namespace ns = Namespace.of(nsName.asText());
      if (catalog instanceof SupportsNamespaces n && !n.namespaceExists(ns)) continue;
      for (TableIdentifier id : catalog.listTables(ns)) {
        Table table = catalog.loadTable(id);
        Snapshot current = table.currentSnapshot();
        int snapshots = 0;
        for (Snapshot s : table.snapshots()) snapshots++;
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", ns.toString());
        o.put("table", id.name());
        o.put("location", table.location());
        o.put("snapshots", snapshots);
        o.put("rows", current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-records", "0")));
        if (current != null) o.put("lastCommitMs", current.timestampMillis());
        else o.putNull("lastCommitMs");
        out.add(o);
      }
    }
    return out;
  }

  /** Each snapshot of a table, oldest first: when it was committed and how many rows it added. */
  static JsonNode snapshots(Catalog catalog, String name) {
    Table table = catalog.loadTable(TableIdentifier.parse(name));
    ArrayNode out = JSON.createArrayNode();
    for (Snapshot s : table.snapshots()) {
      ObjectNode o = JSON.createObjectNode();
      o.put("committedMs", s.timestampMillis());
      o.put("addedRows", Long.parseLong(s.summary().getOrDefault("added-records", "0")));
      out.add(o);
    }
    return out;
  }

  /**
   * Rows of the table's current snapshot; `where` ({column: [values]}) keeps the rows whose column
   * is one of the values (pushed down to Iceberg, so files without them are never read).
   */
  static JsonNode scan(Catalog catalog, String name, int limit, JsonNode where) throws Exception {
    Table table = catalog.loadTable(TableIdentifier.parse(name));
    ArrayNode rows = JSON.createArrayNode();
    IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table);
    if (where != null && where.isObject()) {
      for (java.util.Iterator<Map.Entry<String, JsonNode>> it = where.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<Object> values = new java.util.ArrayList<>();
        for (JsonNode v : e.getValue()) values.add(v.isIntegralNumber() ? (Object) v.asLong() : v.asText());
        scan = scan.where(org.apache.iceberg.expressions.Expressions.in(e.getKey(), values.toArray()));
      }
    }
    try (CloseableIterable<Record> records = scan.build()) {
      for (Record r : records) {
        if (limit >= 0 && rows.size() >= limit) break;
        rows.add(toJson(r, table.schema().asStruct()));
      }
    }
    return rows;
  }

  static ObjectNode toJson(Record r, Types.StructType type) {
    ObjectNode o = JSON.createObjectNode();
    List<Types.NestedField> fields = type.fields();
    for (int i = 0; i < fields.size(); i++) {
      Types.NestedField f = fields.get(i);
      Object v = r.get(i);
      if (v == null) o.putNull(f.name());
      else if (v instanceof Record nested) o.set(f.name(), toJson(nested, f.type().asStructType()));
      else if (v instanceof Number || v instanceof Boolean)
        o.set(f.name(), JSON.valueToTree(v instanceof java.math.BigDecimal d ? d.toPlainString() : v));
      else o.put(f.name(), v.toString());
    }
    return o;
  }
}
