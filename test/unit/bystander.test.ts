/**
 * Bystanders: resources that state nothing the pack reads (a storage bucket) cost the session only
 * their place in registration order — no snapshot, no extraction — yet one whose props come to hold
 * a PEM certificate is read again.
 */
import { describe, expect, it } from "vitest";
import { isBystander } from "../../src/extractors";
import { Session } from "../../src/runner/session";

const BUCKET = "aws:s3/bucket:Bucket";
const NOT_A_CERTIFICATE = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----";
const input = (name: string, type: string, props: Record<string, unknown>) => ({ urn: `urn:pulumi:dev::p::${type}::${name}`, name, type, props, dependencies: [], propertyDependencies: {} });

describe("isBystander", () => {
  it("is a resource of a type no extractor reads whose props hold no PEM certificate", () => {
    expect(isBystander(BUCKET, { bucket: "logs", tags: { team: "platform" }, rules: [{ id: "a" }] })).toBe(true);
  });

  it("is not a resource holding a PEM certificate, under any key, in a list or an object", () => {
    expect(isBystander(BUCKET, { tags: { cert: NOT_A_CERTIFICATE } })).toBe(false);
    expect(isBystander(BUCKET, { rules: [{ body: NOT_A_CERTIFICATE }] })).toBe(false);
    expect(isBystander(BUCKET, { privateKey: NOT_A_CERTIFICATE })).toBe(false);
  });

  it("is not a command, a certificate resource or a descriptor, whatever its props", () => {
    expect(isBystander("command:local:Command", {})).toBe(false);
    expect(isBystander("tls:index/selfSignedCert:SelfSignedCert", {})).toBe(false);
    expect(isBystander("pulumi-nodejs:dynamic/mailflow:Tenant", {})).toBe(false);
  });
});

describe("Session with bystanders", () => {
  it("keeps no input for a bystander but keeps its place in registration order", async () => {
    const session = new Session();
    await session.ready();
    const bucket = input("logs", BUCKET, { bucket: "logs" });
    const tenant = input("contoso", "pulumi-nodejs:dynamic/mailflow:Tenant", { initialDomain: "contoso.onmicrosoft.com", acceptedDomains: ["contoso.com"] });
    session.ingest(bucket);
    session.ingest(tenant);
    expect(session.resource(bucket.urn)).toBeUndefined();
    expect(session.resource(tenant.urn)?.name).toBe("contoso");
    expect([session.order(bucket.urn), session.order(tenant.urn), session.order("urn:none")]).toEqual([0, 1, -1]);
    expect(session.canCompleteFindings(bucket.urn)).toBe(false);
  });

  it("reads a bystander again when its props come to hold a PEM certificate, in the same place", async () => {
    const session = new Session();
    await session.ready();
    const bucket = input("logs", BUCKET, { bucket: "logs" });
    session.ingest(bucket);
    session.ingest(input("other", BUCKET, { bucket: "other" }));
    expect(session.unverifiableOf(bucket.urn, false)).toEqual([]);
    session.ingest({ ...bucket, props: { bucket: "logs", tags: { cert: NOT_A_CERTIFICATE } } });
    expect(session.resource(bucket.urn)?.props).toEqual({ bucket: "logs", tags: { cert: NOT_A_CERTIFICATE } });
    expect(session.unverifiableOf(bucket.urn, false).map((u) => [u.subject, u.property])).toEqual([["resource 'logs'", "tags.cert"]]);
    expect(session.order(bucket.urn)).toBe(0);
  });

  it("takes a bystander from the resource pass into the stack pass without reading it", async () => {
    const resourcePass = new Session();
    await resourcePass.ready();
    const bucket = input("logs", BUCKET, { bucket: "logs" });
    resourcePass.ingest(bucket);
    const whole = new Session({ wholeStack: true });
    let reads = 0;
    whole.admit(bucket.urn, "logs", { type: BUCKET, props: { bucket: "logs" }, dependencies: [] }, () => (reads++, bucket), resourcePass);
    expect([reads, whole.order(bucket.urn), whole.holds(1, () => bucket.urn, () => ({ type: BUCKET, props: { bucket: "other" }, dependencies: [] }))]).toEqual([0, 0, true]);
  });
});
