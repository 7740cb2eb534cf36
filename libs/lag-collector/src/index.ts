/**
 * @lakewall/lag-collector: consumer-group lag collected in the background (offsets, interpolated
 * time lag, Burrow-style status), served from memory. Used by the monitor's exporter and the admin API.
 */
export * from './history';
export * from './status';
export * from './collector';
