import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { RAW_PATH_FORMAT } from './lake';
import { principalsIn } from './tables';
import { topicsInZone } from './topics';

export interface SinkSpec {
  readonly connectorName: string;
  readonly principal: string;
  readonly zone: ZoneName;
  readonly group: string;
  /** An explicit list: a sink never subscribes by pattern, so a new topic is never picked up by accident. */
  readonly topics: readonly string[];
  readonly pathFormat: string;
}

/** One S3 sink per zone, reading only that zone's topics, as the principal that writes the zone. */
export function deriveSinks(model: PlatformModel, env: EnvName): SinkSpec[] {
  return principalsIn(model, env)
    .filter((p) => p.lake?.write && p.kafka?.consume)
    .map((p) => {
      const zone = p.lake!.write!.zones[0]!;
      const group = p.kafka!.consume!.group;
      return {
        connectorName: group.replace(/^connect-/, ''),
        principal: p.name,
        zone,
        group,
        topics: topicsInZone(model, env, zone).map((t) => t.name),
        pathFormat: RAW_PATH_FORMAT,
      };
    });
}
