import Foundation
import LeadgenCore
import Pipeline
import Providers
import Storage

extension LeadgenConfig {
    /// A sandbox served by this process: the URL of its `/sandbox` prefix and the key its SendGrid fake signs
    /// events with.
    public struct SandboxSite: Sendable {
        public var root: URL
        public var sendgridWebhookPublicKey: String?

        public init(root: URL, sendgridWebhookPublicKey: String?) {
            self.root = root
            self.sendgridWebhookPublicKey = sendgridWebhookPublicKey
        }
    }

    /// The application's settings from the operator's; with `sandbox`, every vendor is the sandbox's fake.
    public func appSettings(workers: Int? = nil, sandbox: SandboxSite? = nil) -> AppSettings {
        var settings = AppSettings(outbound: outboundPolicy(sandboxRoot: sandbox?.root))
        settings.workers = workers ?? self.workers
        settings.postgresURL = databaseURL.postgresURL
        settings.providers = providers
        if let sandbox {
            settings.providers.useSandbox(
                root: sandbox.root, sendgridWebhookPublicKey: sandbox.sendgridWebhookPublicKey)
        }
        settings.masterKey = masterKey
        settings.publicURL = publicURL ?? sandbox?.root.deletingLastPathComponent()
        settings.enrichmentCacheTTL = TimeInterval(enrichmentCacheDays) * 86400
        settings.scenarioHistoryRetention = scenarioHistoryDays > 0 ? scenarioHistoryDays * 86400 : nil
        settings.jobLease = jobLease
        settings.webhookTimeout = webhookTimeout
        settings.dnsServer = dnsServer
        settings.smtpProbe = smtpProbe
        settings.outreach.concurrency = outreachConcurrency
        settings.outreach.domainInterval = outreachDomainInterval
        return settings
    }

    /// The outbound URL policy: the operator's exceptions, and in sandbox mode the sandbox's own fakes (so a
    /// scenario may call them) and nothing else on this machine.
    func outboundPolicy(sandboxRoot: URL?) -> OutboundURLPolicy {
        var hosts = outboundAllowedHosts
        if let root = sandboxRoot, let host = root.host, let port = root.port { hosts.insert("\(host):\(port)") }
        return .system(allowedRanges: outboundAllowedRanges, allowedHosts: hosts)
    }
}
