import Foundation
import LeadgenCore
import Pipeline
import Providers

/// What the application is built with, beyond its database, clock and ids: `LeadgenConfig` gives the
/// operator's values, tests their own.
public struct AppSettings: Sendable {
    /// Jobs run at once in this process; 0 runs none (`leadgen serve --no-workers`).
    public var workers = 4
    /// On PostgreSQL, where the worker listens for new jobs (`nil` polls).
    public var postgresURL: String?
    /// Which addresses a URL a user or workspace sets may reach.
    public var outbound: OutboundURLPolicy
    /// The vendors' keys and addresses the operator set.
    public var providers = ProviderSettings()
    /// `LEADGEN_MASTER_KEY`: seals connections and signs unsubscribe links.
    public var masterKey: String?
    /// Where this server is reached from outside (`LEADGEN_PUBLIC_URL`): vendors' callbacks, unsubscribe links.
    public var publicURL: URL?
    /// Where uploads and import files wait.
    public var uploadDirectory = FileManager.default.temporaryDirectory
    /// How long an enrichment answer is reused instead of paid for again.
    public var enrichmentCacheTTL: TimeInterval = 30 * 86400
    /// How long finished scenario runs are kept (`nil`: for ever).
    public var scenarioHistoryRetention: TimeInterval? = 30 * 86400
    /// How long after the last change HubSpot auto-sync waits.
    public var autoSyncQuietPeriod: TimeInterval = 30
    /// How long a claimed job is held before another worker may take it over.
    public var jobLease: TimeInterval = 60
    public var outreach = OutreachDispatcher.Options()
    /// How long an outgoing webhook's endpoint has to answer (Standard Webhooks suggests 15 to 30 seconds).
    public var webhookTimeout: TimeInterval = 15
    /// The DNS server e-mail verification asks; nil: the first nameserver of /etc/resolv.conf.
    public var dnsServer: DNSServerAddress?
    /// The SMTP probe of e-mail verification, for the default workspace; nil when off.
    public var smtpProbe: SMTPProbe.Options?

    public init(outbound: OutboundURLPolicy) {
        self.outbound = outbound
    }
}
