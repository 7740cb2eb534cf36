/**
 * Availability zones named from the region (`us-east-1a`, `-b`, ...), so synthesis needs no account
 * lookup. The count comes from the platform model.
 */
export function availabilityZonesFor(region: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 6) {
    throw new Error(`availabilityZonesFor(${region}): count must be an integer from 1 to 6, got ${count}`);
  }
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}
