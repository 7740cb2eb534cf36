import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.storage.internals.log.LogConfig;
import java.util.*;
/** Prints Kafka's topic config definitions as JSON (run with the broker jars on the classpath). */
public class TopicConfigDefs {
  static String q(String s){ return "\"" + s.replace("\\","\\\\").replace("\"","\\\"") + "\""; }
  public static void main(String[] a) throws Exception {
    ConfigDef def = LogConfig.configDefCopy();
    List<String> names = new ArrayList<>(def.configKeys().keySet());
    Collections.sort(names);
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < names.size(); i++) {
      ConfigDef.ConfigKey k = def.configKeys().get(names.get(i));
      sb.append("  {\"name\": ").append(q(k.name)).append(", \"type\": ").append(q(k.type.name()));
      sb.append(", \"validator\": ").append(k.validator == null ? "null" : q(k.validator.toString()));
      sb.append("}").append(i < names.size() - 1 ? ",\n" : "\n");
    }
    sb.append("]\n");
    System.out.print(sb);
  }
}
