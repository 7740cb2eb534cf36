/**
 * The Kafka plane of the access proof, and the only file that calls the topic engine's policy
 * evaluation (libs/topic-admin). When that evaluation grows (new violation kinds, cluster-level
 * escalation), this adapter is the one place to follow it: every violation it returns flows into the
 * report with its own kind and message.
 */
import {
  CLUSTER_RESOURCE,
  deriveAcls,
  deriveTopics,
  kafkaPrincipal,
  principalsIn,
  type AclBinding,
  type AclOperation,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import {
  checkMnpiPolicy,
  CLUSTER_ESCALATION_OPERATIONS,
  desiredMnpiTopics,
  effectiveAccess,
  formatAcl,
  INTEGRITY_OPERATIONS,
  policyContextFor,
  READ_OPERATIONS,
  WILDCARD_PRINCIPAL,
  type ResourceRef,
} from '@lakewall/topic-admin/read';
import type { Clearance, KafkaCell } from '../types';

/** A principal the model does not know, authenticated to the cluster: the Kafka plane's outsider. */
export const KAFKA_OUTSIDER = 'User:<not in the model>';

export interface KafkaViolation {
  readonly kind: string;
  readonly principal: string;
  readonly resource: string;
  readonly operations: readonly string[];
  readonly grantedBy: readonly string[];
  readonly message: string;
}

export interface KafkaPlane {
  /** Where the ACLs came from: the model's derivation for the environment, or a live cluster. */
  readonly source: string;
  readonly principals: readonly { id: string; clearance: Clearance }[];
  readonly topics: readonly string[];
  readonly cells: readonly KafkaCell[];
  readonly violations: readonly KafkaViolation[];
}

export interface KafkaPlaneInput {
  readonly model: PlatformModel;
  readonly env: EnvName;
  /** ACLs read from a live cluster instead of the model's; the model's topics stay the MNPI list. */
  readonly liveAcls?: readonly AclBinding[];
  readonly liveTopics?: readonly string[];
}

export function evaluateKafkaPlane(input: KafkaPlaneInput): KafkaPlane {
  const { model, env } = input;
  const acls = input.liveAcls ?? deriveAcls(model, env);
  const mnpiTopics = [
    ...new Set([...desiredMnpiTopics(deriveTopics(model, env)), ...(input.liveTopics ?? [])]),
  ].sort();
  const ctx = policyContextFor(model, mnpiTopics, env);
  // What each principal can do that matters for MNPI: read or change an MNPI topic, grant itself
  // access on the cluster, or act as a cleared principal through delegation tokens.
  const questions: { resource: ResourceRef; operations: readonly AclOperation[] }[] = [
    ...mnpiTopics.map((name) => ({
      resource: { type: 'TOPIC' as const, name },
      operations: [...READ_OPERATIONS, ...INTEGRITY_OPERATIONS],
    })),
    { resource: { type: 'CLUSTER', name: CLUSTER_RESOURCE }, operations: CLUSTER_ESCALATION_OPERATIONS },
    ...[...ctx.superUsers, ...[...ctx.clearances].filter(([, c]) => c === 'mnpi').map(([p]) => p)].map(
      (name) => ({
        resource: { type: 'USER' as const, name },
        operations: ['CREATE_TOKENS'] as AclOperation[],
      }),
    ),
  ];
  const principals = [
    ...principalsIn(model, env).map((p) => ({
      id: kafkaPrincipal(p.name),
      clearance: p.clearance as Clearance,
    })),
    { id: KAFKA_OUTSIDER, clearance: 'unknown' as Clearance },
    { id: WILDCARD_PRINCIPAL, clearance: 'unknown' as Clearance },
  ];
  const cells: KafkaCell[] = [];
  for (const p of principals) {
    for (const q of questions) {
      for (const operation of q.operations) {
        const d = effectiveAccess(acls, { principal: p.id, resource: q.resource, operation });
        cells.push({
          plane: 'kafka',
          principal: p.id,
          resource: `${q.resource.type.toLowerCase()}:${q.resource.name}`,
          operation,
          allowed: d.allowed,
          deciding: (d.allowed ? d.allowedBy : d.deniedBy).map(formatAcl),
        });
      }
    }
  }
  const violations = checkMnpiPolicy(acls, ctx).map((v): KafkaViolation => ({
    kind: v.kind,
    principal: v.principal,
    resource: `${v.resource.type.toLowerCase()}:${v.resource.name}`,
    operations: v.operations,
    grantedBy: v.grantedBy.map(formatAcl),
    message: v.message,
  }));
  return {
    source: input.liveAcls ? 'live cluster ACLs' : `the model's ACLs for ${env}`,
    principals,
    topics: mnpiTopics,
    cells,
    violations,
  };
}
