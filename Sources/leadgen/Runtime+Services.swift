import Foundation
import LeadgenCore
import Pipeline
import Providers
import Sandbox
import WebApp

extension Runtime {
    /// The application's services from the settings; with `sandbox`, every provider points at it.
    func services(workers: Int? = nil, sandbox: Sandbox? = nil, sandboxRoot: URL? = nil) -> AppServices {
        var providers = config.providers
        if sandbox != nil, let root = sandboxRoot {
            providers.apolloAPIKey = SandboxOptions.apolloAPIKey
            providers.apolloBaseURL = root.appendingPathComponent("api/v1")
            providers.hubspotAccessToken = SandboxOptions.hubspotToken
            providers.hubspotBaseURL = root
            providers.slackWebhookURL = root.appendingPathComponent(
                String(SandboxOptions.slackWebhookPath.dropFirst()))
            providers.makeAPIToken = SandboxOptions.makeAPIToken
            providers.makeBaseURL = root.appendingPathComponent("make/api/v2")
            providers.sendgridAPIKey = SandboxOptions.sendgridAPIKey
            providers.sendgridBaseURL = root
            providers.sendgridWebhookPublicKey = sandbox?.sendgridWebhookPublicKey
            providers.sendgridInboundParseToken = SandboxOptions.sendgridInboundParseToken
            providers.mailgunAPIKey = SandboxOptions.mailgunAPIKey
            providers.mailgunDomain = SandboxOptions.mailgunDomain
            providers.mailgunBaseURL = root
            providers.mailgunWebhookSigningKey = SandboxOptions.mailgunWebhookSigningKey
            providers.twilioAccountSID = SandboxOptions.twilioAccountSID
            providers.twilioAuthToken = SandboxOptions.twilioAuthToken
            providers.twilioBaseURL = root
            providers.twilioFrom = SandboxOptions.twilioFromNumber
            providers.servesAllWorkspaces = true
        }
        return AppServices(
            database: database, logger: logger, maxBodySize: config.maxBodySize, workers: workers ?? config.workers,
            postgresURL: config.databaseURL.postgresURL, ids: ids, time: time,
            outbound: outboundPolicy(sandboxRoot: sandbox == nil ? nil : sandboxRoot), providers: providers,
            masterKey: config.masterKey,
            enrichmentCacheDays: config.enrichmentCacheDays, scenarioHistoryDays: config.scenarioHistoryDays,
            publicURL: config.publicURL
                ?? sandboxRoot.flatMap { sandbox == nil ? nil : $0.deletingLastPathComponent() },
            hooksURL: config.hooksURL, metricsToken: config.metricsToken,
            trustedProxies: config.trustedProxies, sandbox: sandbox,
            jobLease: config.jobLease,
            outreach: {
                var options = OutreachDispatcher.Options()
                options.concurrency = config.outreachConcurrency
                options.domainInterval = config.outreachDomainInterval
                return options
            }())
    }

    /// The outbound URL policy: the operator's exceptions, and in sandbox mode the sandbox's own fakes (so a
    /// scenario may call them) and nothing else on this machine.
    func outboundPolicy(sandboxRoot: URL?) -> OutboundURLPolicy {
        var hosts = config.outboundAllowedHosts
        if let root = sandboxRoot, let host = root.host, let port = root.port { hosts.insert("\(host):\(port)") }
        return .system(allowedRanges: config.outboundAllowedRanges, allowedHosts: hosts)
    }
}
