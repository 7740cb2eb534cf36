/** A raw-layer partition key as the platform model declares it (see RAW_PARTITION_KEYS). */
export interface PartitionKeySpec {
  readonly name: string;
  readonly type: string;
  readonly projection:
    | { readonly type: 'date'; readonly format: string; readonly interval: string; readonly unit: string }
    | { readonly type: 'integer'; readonly range: string; readonly digits?: string };
}

/**
 * Athena partition-projection table parameters for keys laid out as `<prefix><k1>=<v1>/<k2>=<v2>/`.
 * Date keys project from `retentionDays` ago until now, so queries never scan days the lifecycle
 * rules have already expired.
 */
export function partitionProjectionParameters(
  keys: readonly PartitionKeySpec[],
  locationPrefix: string,
  retentionDays: number,
): Record<string, string> {
  if (keys.length === 0)
    throw new Error('partitionProjectionParameters: at least one partition key is required');
  const params: Record<string, string> = { 'projection.enabled': 'true' };
  for (const key of keys) {
    const p = key.projection;
    const base = `projection.${key.name}`;
    params[`${base}.type`] = p.type;
    if (p.type === 'date') {
      params[`${base}.format`] = p.format;
      params[`${base}.interval`] = p.interval;
      params[`${base}.interval.unit`] = p.unit;
      params[`${base}.range`] = `NOW-${retentionDays}DAYS,NOW`;
    } else {
      params[`${base}.range`] = p.range;
      if (p.digits) params[`${base}.digits`] = p.digits;
    }
  }
  params['storage.location.template'] =
    `${locationPrefix}${keys.map((k) => `${k.name}=\${${k.name}}`).join('/')}/`;
  return params;
}
