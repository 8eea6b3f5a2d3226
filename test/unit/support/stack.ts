/**
 * Test stacks: Pulumi resources as the policy pack receives them, written the way programs declare
 * them (PowerShell in @pulumi/command resources, this package's descriptors, certificate resources).
 */
export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  dependencies?: string[];
}

export const urnOf = (r: { type: string; name: string }): string => `urn:pulumi:test::mailflow::${r.type}::${r.name}`;

/** An Exchange Online script run by pwsh in a local command. */
export function exo(name: string, script: string, extra: Record<string, unknown> = {}): TestResource {
  return {
    type: "command:local:Command",
    name,
    props: { interpreter: ["pwsh", "-NoProfile", "-NonInteractive", "-Command"], create: script, ...extra },
  };
}

/** An on-premises Exchange Management Shell script run on a server over SSH. */
export function onPrem(name: string, host: string, script: string, extra: Record<string, unknown> = {}): TestResource {
  return {
    type: "command:remote:Command",
    name,
    props: { connection: { host, user: "svc-exchange", password: "S3cret-Passw0rd!", port: 22 }, create: script, ...extra },
  };
}

const dynamic = (kind: string) => `pulumi-nodejs:dynamic/mailflow:${kind}`;

export const tenantDescriptor = (name: string, props: Record<string, unknown>): TestResource => ({ type: dynamic("Tenant"), name, props });
export const gatewayDescriptor = (name: string, props: Record<string, unknown>): TestResource => ({ type: dynamic("Gateway"), name, props });
export const organizationDescriptor = (name: string, props: Record<string, unknown>): TestResource => ({ type: dynamic("Organization"), name, props });
export const certificateDescriptor = (name: string, props: Record<string, unknown>): TestResource => ({ type: dynamic("Certificate"), name, props });
