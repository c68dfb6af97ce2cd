import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on a construct and everything under it. Every call carries the
 * reason the finding does not apply or is accepted; test/infra fails on any unacknowledged error.
 * Findings with a detail are acknowledged one by one (`AwsSolutions-IAM5[Resource::*]`).
 */
export function acknowledge(scope: IConstruct | undefined, ids: readonly string[], reason: string): void {
  if (!scope) return;
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** cdk-nag's rendering of a resolved reference, so that computed finding ids match its own. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}

type Statement = { Effect?: string; Resource?: unknown };

/**
 * Acknowledges wildcard *resources* (AwsSolutions-IAM5[Resource::…]) in the IAM policies under
 * `scope` whose ARN ends like one of `endings` (`/kb-runbooks*`: the versioned indices behind an
 * alias). Wildcard *actions* are never acknowledged here. The finding ids name the resolved ARN,
 * cross-stack imports included, so they are computed when the app is validated, after
 * references are resolved, rather than written out by hand.
 */
export function acknowledgeResourcePatterns(scope: IConstruct, endings: readonly string[], reason: string): void {
  scope.node.addValidation({
    validate: () => {
      for (const node of scope.node.findAll()) {
        const documents: unknown[] = [];
        if (node instanceof iam.CfnPolicy) documents.push(Stack.of(node).resolve(node.policyDocument));
        if (node instanceof iam.CfnRole) {
          for (const policy of (Stack.of(node).resolve(node.policies) as { policyDocument: unknown }[] | undefined) ?? []) {
            documents.push(Stack.of(node).resolve(policy.policyDocument));
          }
        }
        for (const document of documents) {
          for (const statement of ((document as { Statement?: Statement[] }).Statement ?? []).filter((s) => s.Effect === 'Allow')) {
            const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
            for (const resource of resources.map(flatten)) {
              if (resource.includes('*') && endings.some((e) => resource.endsWith(e) && resource !== e)) {
                acknowledge(node, [`AwsSolutions-IAM5[Resource::${resource}]`], reason);
              }
            }
          }
        }
      }
      return [];
    },
  });
}
