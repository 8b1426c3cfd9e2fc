import Foundation
import Pipeline
import Sandbox

extension ProviderSettings {
    /// Every vendor at the sandbox served at `root` (the URL of its `/sandbox` prefix), with the keys it
    /// accepts, for every workspace. The one place the sandbox is wired in.
    public static func sandbox(root: URL, sendgridWebhookPublicKey: String? = nil) -> ProviderSettings {
        var settings = ProviderSettings()
        settings.useSandbox(root: root, sendgridWebhookPublicKey: sendgridWebhookPublicKey)
        return settings
    }

    /// Points every vendor at the sandbox at `root`, keeping the rest (rates, timeouts, the HubSpot webhook
    /// secret) as they are.
    public mutating func useSandbox(root: URL, sendgridWebhookPublicKey: String? = nil) {
        apolloAPIKey = SandboxOptions.apolloAPIKey
        apolloBaseURL = root.appendingPathComponent("api/v1")
        hubspotAccessToken = SandboxOptions.hubspotToken
        hubspotBaseURL = root
        slackWebhookURL = root.appendingPathComponent(String(SandboxOptions.slackWebhookPath.dropFirst()))
        makeAPIToken = SandboxOptions.makeAPIToken
        makeBaseURL = root.appendingPathComponent("make/api/v2")
        sendgridAPIKey = SandboxOptions.sendgridAPIKey
        sendgridBaseURL = root
        self.sendgridWebhookPublicKey = sendgridWebhookPublicKey
        sendgridInboundParseToken = SandboxOptions.sendgridInboundParseToken
        mailgunAPIKey = SandboxOptions.mailgunAPIKey
        mailgunDomain = SandboxOptions.mailgunDomain
        mailgunBaseURL = root
        mailgunWebhookSigningKey = SandboxOptions.mailgunWebhookSigningKey
        twilioAccountSID = SandboxOptions.twilioAccountSID
        twilioAuthToken = SandboxOptions.twilioAuthToken
        twilioBaseURL = root
        twilioFrom = SandboxOptions.twilioFromNumber
        servesAllWorkspaces = true
    }
}
