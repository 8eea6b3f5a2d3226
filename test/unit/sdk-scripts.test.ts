/**
 * The SDK's script renderers, every field set: the exact text each renders (parameter spelling,
 * quoting, order as given). Pulumi programs and the pack's fixes print this text, so a change to a
 * renderer or to the field schema it reads shows here byte by byte.
 */
import { describe, expect, it } from "vitest";
import {
  certificateIdentifier,
  connectExchangeOnline,
  envRef,
  exchangeOnlineScript,
  newAcceptedDomain,
  newInboundConnector,
  newOutboundConnector,
  newReceiveConnector,
  newSendConnector,
  psQuote,
  removeInboundConnector,
  removeOutboundConnector,
  removeSendConnector,
  setAcceptedDomain,
  setHybridConfiguration,
  setInboundConnector,
  setSendConnector,
} from "../../src/sdk/scripts";

const CERTIFICATE = { issuer: "CN=R3, O=Let's Encrypt", subject: "CN=mail.contoso.com" };

describe("SDK renderers, every field set", () => {
  it("New-InboundConnector", () => {
    expect(
      newInboundConnector({
        name: "From O'Brien",
        connectorType: "OnPremises",
        senderDomains: ["contoso.com", "*.contoso.com"],
        tlsSenderCertificateName: "mail.contoso.com",
        senderIpAddresses: ["192.0.2.1", "198.51.100.0/24"],
        requireTls: true,
        restrictDomainsToCertificate: true,
        restrictDomainsToIpAddresses: false,
        cloudServicesMailEnabled: true,
        treatMessagesAsInternal: false,
        connectorSource: "HybridWizard",
      }),
    ).toBe(
      "New-InboundConnector -Name 'From O''Brien' -ConnectorType 'OnPremises' -SenderDomains 'contoso.com','*.contoso.com' -TlsSenderCertificateName 'mail.contoso.com'" +
        " -SenderIPAddresses '192.0.2.1','198.51.100.0/24' -RequireTls $true -RestrictDomainsToCertificate $true -RestrictDomainsToIPAddresses $false" +
        " -CloudServicesMailEnabled $true -TreatMessagesAsInternal $false -ConnectorSource 'HybridWizard'",
    );
  });

  it("Set-InboundConnector, with a list edit", () => {
    expect(
      setInboundConnector({
        identity: "From Contoso",
        connectorType: "Partner",
        senderDomains: ["contoso.com"],
        tlsSenderCertificateName: "mail.contoso.com",
        senderIpAddresses: { add: ["192.0.2.1"], remove: ["192.0.2.2", "192.0.2.3"] },
        requireTls: false,
        restrictDomainsToCertificate: false,
        restrictDomainsToIpAddresses: true,
        cloudServicesMailEnabled: false,
        treatMessagesAsInternal: true,
        connectorSource: "Default",
      }),
    ).toBe(
      "Set-InboundConnector -Identity 'From Contoso' -ConnectorType 'Partner' -SenderDomains 'contoso.com' -TlsSenderCertificateName 'mail.contoso.com'" +
        " -SenderIPAddresses @{Add='192.0.2.1'; Remove='192.0.2.2','192.0.2.3'} -RequireTls $false -RestrictDomainsToCertificate $false" +
        " -RestrictDomainsToIPAddresses $true -CloudServicesMailEnabled $false -TreatMessagesAsInternal $true -ConnectorSource 'Default'",
    );
    expect(setInboundConnector({ identity: "X", senderIpAddresses: { remove: ["192.0.2.2"] } })).toBe("Set-InboundConnector -Identity 'X' -SenderIPAddresses @{Remove='192.0.2.2'}");
  });

  it("New-OutboundConnector", () => {
    expect(
      newOutboundConnector({
        name: "To On-Premises",
        connectorType: "OnPremises",
        recipientDomains: ["contoso.com"],
        smartHosts: ["mail.contoso.com", "mail2.contoso.com"],
        useMxRecord: false,
        tlsSettings: "DomainValidation",
        tlsDomain: "mail.contoso.com",
        cloudServicesMailEnabled: true,
        routeAllMessagesViaOnPremises: true,
      }),
    ).toBe(
      "New-OutboundConnector -Name 'To On-Premises' -ConnectorType 'OnPremises' -RecipientDomains 'contoso.com' -SmartHosts 'mail.contoso.com','mail2.contoso.com'" +
        " -UseMXRecord $false -TlsSettings 'DomainValidation' -TlsDomain 'mail.contoso.com' -CloudServicesMailEnabled $true -RouteAllMessagesViaOnPremises $true",
    );
  });

  it("New-SendConnector: -RequireTLS in the Send connector's spelling, -Internet as a switch, values from the environment", () => {
    expect(
      newSendConnector({
        name: "Outbound to Office 365",
        addressSpaces: ["contoso.mail.onmicrosoft.com"],
        internet: true,
        smartHosts: ["contoso-com.mail.protection.outlook.com"],
        dnsRoutingEnabled: false,
        fqdn: "mail.contoso.com",
        tlsCertificateName: CERTIFICATE,
        requireTls: true,
        tlsAuthLevel: "DomainValidation",
        tlsDomain: "mail.protection.outlook.com",
        cloudServicesMailEnabled: true,
        sourceTransportServers: ["EX01", "EX02"],
      }),
    ).toBe(
      "New-SendConnector -Name 'Outbound to Office 365' -AddressSpaces 'contoso.mail.onmicrosoft.com' -SmartHosts 'contoso-com.mail.protection.outlook.com'" +
        " -DNSRoutingEnabled $false -Fqdn 'mail.contoso.com' -TlsCertificateName '<I>CN=R3, O=Let''s Encrypt<S>CN=mail.contoso.com' -TlsAuthLevel 'DomainValidation'" +
        " -TlsDomain 'mail.protection.outlook.com' -CloudServicesMailEnabled $true -SourceTransportServers 'EX01','EX02' -RequireTLS $true -Internet",
    );
  });

  it("Set-SendConnector, with an address-space edit", () => {
    expect(
      setSendConnector({
        identity: "Outbound to Office 365",
        addressSpaces: { add: ["fabrikam.mail.onmicrosoft.com"] },
        smartHosts: ["fabrikam-com.mail.protection.outlook.com"],
        dnsRoutingEnabled: false,
        fqdn: "mail.fabrikam.com",
        tlsCertificateName: CERTIFICATE,
        requireTls: false,
        tlsAuthLevel: "CertificateValidation",
        tlsDomain: "mail.protection.outlook.com",
        cloudServicesMailEnabled: false,
        sourceTransportServers: ["EX03"],
      }),
    ).toBe(
      "Set-SendConnector -Identity 'Outbound to Office 365' -AddressSpaces @{Add='fabrikam.mail.onmicrosoft.com'} -SmartHosts 'fabrikam-com.mail.protection.outlook.com'" +
        " -DNSRoutingEnabled $false -Fqdn 'mail.fabrikam.com' -TlsCertificateName '<I>CN=R3, O=Let''s Encrypt<S>CN=mail.contoso.com' -TlsAuthLevel 'CertificateValidation'" +
        " -TlsDomain 'mail.protection.outlook.com' -CloudServicesMailEnabled $false -SourceTransportServers 'EX03' -RequireTLS $false",
    );
  });

  it("the fields the audit's state writes: -Enabled, -AssociatedAcceptedDomains, -ConnectorSource AdminUI, an empty list as @()", () => {
    expect(newInboundConnector({ name: "In", connectorType: "Partner", senderDomains: [], connectorSource: "AdminUI", associatedAcceptedDomains: ["contoso.com", "fabrikam.com"], enabled: false })).toBe(
      "New-InboundConnector -Name 'In' -ConnectorType 'Partner' -SenderDomains @() -ConnectorSource 'AdminUI' -AssociatedAcceptedDomains 'contoso.com','fabrikam.com' -Enabled $false",
    );
    expect(newOutboundConnector({ name: "Out", connectorType: "OnPremises", recipientDomains: ["*"], enabled: true })).toBe("New-OutboundConnector -Name 'Out' -ConnectorType 'OnPremises' -RecipientDomains '*' -Enabled $true");
    expect(newSendConnector({ name: "S", addressSpaces: ["*"], tlsCertificateName: "<I>CN=CA <S>CN=mail", enabled: true, requireTls: false })).toBe(
      "New-SendConnector -Name 'S' -AddressSpaces '*' -TlsCertificateName '<I>CN=CA <S>CN=mail' -Enabled $true -RequireTLS $false",
    );
  });

  it("New-ReceiveConnector", () => {
    expect(newReceiveConnector({ name: "Default Frontend EX01", fqdn: "mail.contoso.com", tlsCertificateName: CERTIFICATE, tlsDomainCapabilities: ["mail.protection.outlook.com:AcceptCloudServicesMail"] })).toBe(
      "New-ReceiveConnector -Name 'Default Frontend EX01' -Fqdn 'mail.contoso.com' -TlsCertificateName '<I>CN=R3, O=Let''s Encrypt<S>CN=mail.contoso.com' -TlsDomainCapabilities 'mail.protection.outlook.com:AcceptCloudServicesMail'",
    );
    expect(newReceiveConnector({ name: "R" })).toBe("New-ReceiveConnector -Name 'R'");
  });

  it("the hybrid configuration and accepted domains", () => {
    expect(setHybridConfiguration({ tlsCertificateName: CERTIFICATE })).toBe("Set-HybridConfiguration -TlsCertificateName '<I>CN=R3, O=Let''s Encrypt<S>CN=mail.contoso.com'");
    expect(setHybridConfiguration({ tlsCertificateName: "<I>CN=CA<S>CN=mail" })).toBe("Set-HybridConfiguration -TlsCertificateName '<I>CN=CA<S>CN=mail'");
    expect(newAcceptedDomain({ name: "Contoso", domainName: "contoso.com", domainType: "InternalRelay" })).toBe("New-AcceptedDomain -Name 'Contoso' -DomainName 'contoso.com' -DomainType 'InternalRelay'");
    expect(setAcceptedDomain({ identity: "contoso.com", matchSubDomains: true })).toBe("Set-AcceptedDomain -Identity 'contoso.com' -MatchSubDomains $true");
  });

  it("values from the command's environment render as $env:NAME, never quoted: every text argument takes one", () => {
    expect(newInboundConnector({ name: "From Contoso", connectorType: "OnPremises", senderDomains: ["*"], tlsSenderCertificateName: envRef("CERT_NAME") })).toBe(
      "New-InboundConnector -Name 'From Contoso' -ConnectorType 'OnPremises' -SenderDomains '*' -TlsSenderCertificateName $env:CERT_NAME",
    );
    expect(setSendConnector({ identity: envRef("CONNECTOR"), fqdn: envRef("HOST") })).toBe("Set-SendConnector -Identity $env:CONNECTOR -Fqdn $env:HOST");
  });

  it("a certificate identifier with a part from the environment is a string PowerShell expands, its literal parts escaped", () => {
    // about_Quoting_Rules: in double quotes $ and " are escaped with a backtick; $(…) is expanded.
    expect(setSendConnector({ identity: "Hybrid", tlsCertificateName: { issuer: envRef("HYBRID_ISSUER"), subject: 'CN=a$b"c' } })).toBe(
      'Set-SendConnector -Identity \'Hybrid\' -TlsCertificateName "<I>$($env:HYBRID_ISSUER)<S>CN=a`$b`"c"',
    );
  });

  it("removals for a command's delete, without the prompt a script cannot answer", () => {
    expect(removeInboundConnector({ identity: "From on-prem" })).toBe("Remove-InboundConnector -Identity 'From on-prem' -Confirm:$false");
    expect(removeSendConnector({ identity: "Hybrid" })).toBe("Remove-SendConnector -Identity 'Hybrid' -Confirm:$false");
    expect(removeOutboundConnector({ identity: "To on-prem" })).toBe("Remove-OutboundConnector -Identity 'To on-prem' -Confirm:$false");
  });

  it("the connection, the script preamble and quoting", () => {
    expect(connectExchangeOnline({ organization: "contoso.onmicrosoft.com" })).toBe(
      "Connect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization 'contoso.onmicrosoft.com' -ShowBanner:$false",
    );
    expect(connectExchangeOnline({ organization: "o", appIdEnv: "APP", certificatePathEnv: "PFX" })).toBe("Connect-ExchangeOnline -AppId $env:APP -CertificateFilePath $env:PFX -Organization 'o' -ShowBanner:$false");
    expect(exchangeOnlineScript(["A", "B"])).toBe("$ErrorActionPreference = 'Stop'\nA\nB");
    expect(psQuote("it's")).toBe("'it''s'");
    expect(certificateIdentifier(CERTIFICATE)).toBe("<I>CN=R3, O=Let's Encrypt<S>CN=mail.contoso.com");
  });
});
