/**
 * Set-HybridConfiguration -TlsCertificateName: a readable name lands on the organisation's hybrid
 * configuration; one only known when the script runs is said once, by an unverifiable fact (the
 * hybrid-configuration fact carries no separate `unknown` list the model would drop).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { commandExtractor } from "../../src/extractors/command";
import { loadExtractors } from "../../src/extractors";
import { buildModel } from "../../src/model/build";
import { resourceInput } from "./support/resources";

beforeAll(loadExtractors);

const remote = (create: string) => commandExtractor.extract(resourceInput("command:remote:Command", { connection: { host: "ex01.contoso.com" }, create }, "hcw"));

describe("Set-HybridConfiguration facts", () => {
  it("a readable certificate name lands on the organisation's hybrid configuration", () => {
    const facts = remote(`Set-HybridConfiguration -TlsCertificateName "<I>CN=Contoso CA<S>CN=mail.contoso.com"`);
    const hybrid = facts.filter((f) => f.kind === "hybrid-configuration");
    expect(hybrid).toHaveLength(1);
    expect(hybrid[0]).not.toHaveProperty("unknown");
    const model = buildModel(facts);
    expect(model.hybridConfigurations.map((h) => [h.org, h.tlsCertificateName?.subject])).toEqual([["ex01.contoso.com", "CN=mail.contoso.com"]]);
  });

  it("a name only known when the script runs is one unverifiable fact, and the configuration has no name", () => {
    const facts = remote(`Set-HybridConfiguration -TlsCertificateName $name`);
    const hybrid = facts.filter((f) => f.kind === "hybrid-configuration");
    expect(hybrid).toHaveLength(1);
    expect(hybrid[0]).not.toHaveProperty("tlsCertificateName");
    const advised = facts.flatMap((f) => (f.kind === "unverifiable" ? [[f.item.subject, f.item.property]] : []));
    expect(advised).toEqual([["hybrid configuration", "TlsCertificateName"]]);
  });
});
