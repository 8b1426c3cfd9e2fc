import Foundation
import Pipeline
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
            postgresURL: config.databaseURL.postgresURL, ids: ids, time: time, providers: providers,
            masterKey: config.masterKey,
            enrichmentCacheDays: config.enrichmentCacheDays, scenarioHistoryDays: config.scenarioHistoryDays,
            publicURL: config.publicURL
                ?? sandboxRoot.flatMap { sandbox == nil ? nil : $0.deletingLastPathComponent() },
            hooksURL: config.hooksURL, sandbox: sandbox,
            jobLease: config.jobLease,
            outreach: {
                var options = OutreachDispatcher.Options()
                options.concurrency = config.outreachConcurrency
                options.domainInterval = config.outreachDomainInterval
                return options
            }())
    }
}
