/** What Exchange Online sees from every internet-path connector in the model: names, certificates, IPs. */
import { presentedIdentities } from "../../engine/certificates";
import type { Certificate, MailFlowModel, SendConnector } from "../../model/types";
import { isInternetPath } from "./support";

export interface InternetName {
  name: string;
  /** The connector whose mail leaves by the internet path (possibly through a gateway). */
  origin: SendConnector;
  /** The connector that actually presents the name to Exchange Online (the last hop). */
  presenter: SendConnector;
  certificate?: Certificate;
}

const cache = new WeakMap<MailFlowModel, InternetName[]>();

export function internetIdentityNames(model: MailFlowModel): InternetName[] {
  let names = cache.get(model);
  if (names) return names;
  names = model.sendConnectors.flatMap((s) => internetNamesOf(model, s));
  cache.set(model, names);
  return names;
}

/** The names Exchange Online sees from one connector's internet mail (none when it is not on the internet path). */
export function internetNamesOf(model: MailFlowModel, s: SendConnector): InternetName[] {
  if (!isInternetPath(model, s)) return [];
  const names: InternetName[] = [];
  for (const identity of presentedIdentities(model, s)) {
    const byName = new Map<string, Certificate | undefined>();
    for (const c of identity.certificates) {
      for (const n of [c.subjectCN, ...c.sanDns]) if (n && !byName.has(n)) byName.set(n, c);
    }
    for (const n of identity.names) if (!byName.has(n)) byName.set(n, undefined);
    for (const [name, certificate] of byName) {
      names.push({ name, origin: s, presenter: identity.connector, ...(certificate ? { certificate } : {}) });
    }
  }
  return names;
}
