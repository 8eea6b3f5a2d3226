/**
 * The mail-flow picture as a Mermaid flowchart: organisations and gateways → their Send connectors →
 * the certificate Exchange Online sees → the inbound connector that matches it → the tenant; each
 * wrong-tenant flow drawn in red. GitHub renders it in READMEs, issues and step summaries.
 *
 * Here, not in src/audit: both the pack's Markdown summary (src/reporters/files/markdown.ts) and the
 * audit's `flows` command draw it, and the reporters must not import the audit (the audit imports them).
 * It reads the engine only (flows, presented certificates), as every reporter may.
 */
import { presentedIdentities } from "../engine/certificates";
import { deriveFlows, type MailFlow } from "../engine/flows";
import { indexesOf } from "../engine/indexes";
import type { Certificate, MailFlowModel, SendConnector } from "../model/types";

/** Mermaid node ids: letters, digits and underscores only. */
const nodeId = (kind: string, name: string): string => `${kind}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
/** A quoted label: no double quote inside, line breaks as <br/>. */
const label = (s: string): string => s.replace(/"/g, "'").replace(/\n/g, "<br/>");

type Shape = "box" | "round" | "hex" | "slant";
const SHAPES: Record<Shape, [string, string]> = { box: ["[", "]"], round: ["([", "])"], hex: ["{{", "}}"], slant: ["[/", "/]"] };

interface Edge {
  from: string;
  to: string;
  text: string;
  red: boolean;
}

/** Collects nodes and edges once each; an edge any wrong-tenant flow takes is red. */
class Picture {
  private readonly nodes = new Map<string, string>();
  private readonly edges: Edge[] = [];

  node(id: string, text: string, shape: Shape = "box"): string {
    const [open, close] = SHAPES[shape];
    if (!this.nodes.has(id)) this.nodes.set(id, `${id}${open}"${label(text)}"${close}`);
    return id;
  }

  edge(from: string, to: string, text: string, red: boolean): void {
    const same = this.edges.find((e) => e.from === from && e.to === to && e.text === text);
    if (same) same.red ||= red;
    else this.edges.push({ from, to, text, red });
  }

  leaves(id: string): boolean {
    return this.edges.some((e) => e.from === id);
  }

  render(): string {
    const lines = ["flowchart LR", ...[...this.nodes.values()].map((n) => `  ${n}`), ...this.edges.map((e) => `  ${e.from} -->|"${label(e.text)}"| ${e.to}`)];
    this.edges.forEach((e, i) => {
      if (e.red) lines.push(`  linkStyle ${i} stroke:#d00,stroke-width:3px,color:#d00`);
    });
    return lines.join("\n");
  }
}

const certificateText = (c: Certificate): string => `certificate ${c.subjectCN ?? c.sanDns[0] ?? c.label}${c.trust === "self-signed" ? "\n(self-signed)" : ""}`;

/** The certificates Exchange Online sees from the last connector of a flow's route. */
function certificatesSeen(model: MailFlowModel, f: MailFlow): Certificate[] {
  const last: SendConnector = f.route[f.route.length - 1]!;
  return presentedIdentities(model, f.route[0]!).find((i) => i.connector === last)?.certificates ?? [];
}

function organisationNode(p: Picture, model: MailFlowModel, orgId: string): string {
  const kind = indexesOf(model).orgById.get(orgId)?.kind;
  return p.node(nodeId("org", orgId), `${kind === "gateway" ? "gateway" : "organisation"} ${orgId}`, "round");
}

/** The label of the last edge of a flow a finding names as wrong. */
const redLabel = (f: MailFlow): string => (f.destination === "own-tenant-outside-hybrid" ? "NOT ON THE HYBRID PATH" : "WRONG TENANT");

const tenantNode = (p: Picture, tenant: string): string => p.node(nodeId("tenant", tenant), `tenant ${tenant}`, "hex");

/** Draws one flow that reaches Exchange Online (mail to a recipient outside Microsoft never does). */
function drawFlow(p: Picture, model: MailFlowModel, f: MailFlow): void {
  const red = f.misattributed;
  let from = organisationNode(p, model, f.senderOrg);
  let within = f.senderOrg;
  for (const c of f.route) {
    if (c.org !== within) {
      from = linkThrough(p, model, from, c.org, f.senderDomain, red);
      within = c.org;
    }
    const id = p.node(nodeId("send", `${c.org}_${c.name}`), `${c.name}\n(${c.org})`);
    p.edge(from, id, f.senderDomain, red);
    from = id;
  }
  // A smart host the model does not describe is drawn as what it is: a relay whose identity is not known.
  for (const host of f.unknownRelays ?? []) {
    const id = p.node(nodeId("relay", host), `smart host ${host}\n(not described)`, "round");
    p.edge(from, id, f.senderDomain, red);
    from = id;
  }
  for (const cert of certificatesSeen(model, f)) {
    const id = p.node(nodeId("cert", cert.id), certificateText(cert), "slant");
    p.edge(from, id, "presents", red);
    from = id;
  }
  const a = f.attribution;
  const via = a?.matchedName ? `name ${a.matchedName}` : f.destination === "own-tenant" ? "hybrid" : f.unknownRelays ? "?" : "MX";
  if (a?.connector) {
    const target = p.node(nodeId("inbound", `${a.connector.tenant}_${a.connector.name}`), `inbound '${a.connector.name}'${a.connector.tlsSenderCertificateName ? `\nTLS ${a.connector.tlsSenderCertificateName}` : ""}`);
    p.edge(from, target, via, red);
    p.edge(target, tenantNode(p, a.connector.tenant), red ? redLabel(f) : a.verdict, red);
  } else if (f.destination === "own-tenant-outside-hybrid") {
    // Mail to the own tenant by the internet path: it reaches the tenant without a connector's trust.
    p.edge(from, tenantNode(p, a?.tenant ?? f.expectedTenant!), `${via}: ${a ? a.verdict : "not known"}, ${redLabel(f)}`, red);
  } else p.edge(from, "internet", via, red);
}

/** A relay hop: the sender's connector hands the mail to the gateway that sends it on. */
function linkThrough(p: Picture, model: MailFlowModel, from: string, orgId: string, text: string, red: boolean): string {
  const gateway = organisationNode(p, model, orgId);
  p.edge(from, gateway, text, red);
  return gateway;
}

/** The model as a Mermaid flowchart (first line `flowchart LR`), wrong-tenant flows in red. */
export function renderMermaid(model: MailFlowModel): string {
  const p = new Picture();
  for (const t of model.tenants) p.node(nodeId("tenant", t.id), `tenant ${t.id}`, "hex");
  p.node("internet", "internet / other tenants", "round");
  for (const f of deriveFlows(model)) if (f.destination !== "non-microsoft") drawFlow(p, model, f);
  // Connectors no derived flow reaches still show whom their tenant trusts (two tenants trusting one name: R5).
  for (const ic of model.inboundConnectors) {
    const id = nodeId("inbound", `${ic.tenant}_${ic.name}`);
    if (p.leaves(id)) continue;
    p.node(id, `inbound '${ic.name}'${ic.tlsSenderCertificateName ? `\nTLS ${ic.tlsSenderCertificateName}` : ""}`);
    p.edge(id, p.node(nodeId("tenant", ic.tenant), `tenant ${ic.tenant}`, "hex"), ic.connectorType, false);
  }
  return p.render();
}

/** Whether the model has anything to draw (a tenant, a connector or an organisation). */
export const hasMailFlow = (model: MailFlowModel): boolean =>
  model.tenants.length + model.inboundConnectors.length + model.sendConnectors.length + model.organizations.length > 0;
