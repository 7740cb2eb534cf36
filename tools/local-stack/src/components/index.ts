import type { Component, Ports } from '../ports';
import { adminApi } from './admin-api';
import { alertmanager } from './alertmanager';
import { catalog } from './catalog';
import type { ComponentSpec } from './component';
import { connect } from './connect';
import { kafka } from './kafka';
import { monitor } from './monitor';
import { postgres } from './postgres';
import { prometheus } from './prometheus';
import { registry } from './registry';
import { s3 } from './s3';

export type { ComponentSpec } from './component';

export const COMPONENT_SPECS: Record<Component, ComponentSpec> = {
  postgres,
  catalog,
  s3,
  kafka,
  connect,
  registry,
  prometheus,
  alertmanager,
  monitor,
  'admin-api': adminApi,
};

export function endpointOf(c: Component, ports: Ports): string {
  return COMPONENT_SPECS[c].endpoint(ports);
}
