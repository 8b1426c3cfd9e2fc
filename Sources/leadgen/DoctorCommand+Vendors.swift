import Foundation
import Pipeline
import Providers

extension DoctorCommand {
    /// The vendors set in the environment (the default workspace's), each called as `serve` calls it, through a
    /// free, read-only call that proves the credentials: Apollo's `auth/health`, HubSpot's account details,
    /// SendGrid's key scopes, Mailgun's sending domain, Twilio's account and Make's current user. Slack's
    /// incoming webhook has no such call (any call posts a message), so it is only reported. Workspaces' own
    /// connections are checked by their first use.
    func providers(_ settings: ProviderSettings, transport: ProviderTransport, into report: inout DoctorReport) async {
        let timeout = Duration.seconds(10)
        var configured = 0
        if let key = settings.apolloAPIKey {
            configured += 1
            let client = ApolloClient(
                transport: transport,
                endpoint: ApolloClient.endpoint(apiKey: key, baseURL: settings.apolloBaseURL, timeout: timeout))
            do {
                if try await client.health() {
                    report.ok("Apollo", "the key is accepted (auth/health)")
                } else {
                    report.fail("Apollo", "auth/health says the key is not logged in")
                }
            } catch {
                report.fail("Apollo", "\(error)")
            }
        }
        if let token = settings.hubspotAccessToken {
            configured += 1
            let client = HubSpotClient(
                transport: transport,
                endpoint: HubSpotClient.endpoint(accessToken: token, baseURL: settings.hubspotBaseURL, timeout: timeout)
            )
            do {
                let details = try await client.accountDetails()
                report.ok("HubSpot", "the token reaches portal \(details.portalId)")
            } catch {
                report.fail("HubSpot", "\(error)")
            }
        }
        if let key = settings.sendgridAPIKey {
            configured += 1
            let client = SendGridClient(
                transport: transport,
                endpoint: SendGridClient.endpoint(apiKey: key, baseURL: settings.sendgridBaseURL, timeout: timeout))
            do {
                let scopes = try await client.scopes()
                if scopes.contains("mail.send") {
                    report.ok("SendGrid", "the key is accepted and may send mail (mail.send)")
                } else {
                    report.fail("SendGrid", "the key is accepted but may not send mail: it lacks the mail.send scope")
                }
            } catch {
                report.fail("SendGrid", "\(error)")
            }
        }
        if let key = settings.mailgunAPIKey {
            configured += 1
            await mailgun(key: key, settings, transport: transport, timeout: timeout, into: &report)
        }
        if let sid = settings.twilioAccountSID {
            configured += 1
            await twilio(sid: sid, settings, transport: transport, timeout: timeout, into: &report)
        }
        if let token = settings.makeAPIToken {
            configured += 1
            let client = MakeClient(
                transport: transport,
                endpoint: MakeClient.endpoint(token: token, baseURL: settings.makeBaseURL, timeout: timeout))
            do {
                let user = try await client.currentUser()
                report.ok("Make", "the token belongs to \(user.name) (user \(user.id))")
            } catch {
                report.fail("Make", "\(error)")
            }
        }
        if settings.slackWebhookURL != nil {
            configured += 1
            report.warn("Slack", "the webhook URL is set but not called: any call to it posts a message")
        }
        if configured == 0 {
            report.ok("vendors", "none configured in the environment (workspaces may have their own)")
        }
    }

    private func mailgun(
        key: String, _ settings: ProviderSettings, transport: ProviderTransport, timeout: Duration,
        into report: inout DoctorReport
    ) async {
        guard let domain = settings.mailgunDomain else {
            report.fail("Mailgun", "MAILGUN_API_KEY is set without MAILGUN_DOMAIN, the domain mail is sent from")
            return
        }
        let client = MailgunClient(
            transport: transport,
            endpoint: MailgunClient.endpoint(apiKey: key, baseURL: settings.mailgunBaseURL, timeout: timeout),
            domain: domain)
        do {
            let found = try await client.sendingDomain()
            switch found.state {
            case "active": report.ok("Mailgun", "the key is accepted; \(found.name) is active")
            case "unverified":
                report.warn(
                    "Mailgun", "\(found.name) is unverified: Mailgun sends from it only once its DNS records check out")
            default: report.fail("Mailgun", "\(found.name) is \(found.state): Mailgun will not send from it")
            }
        } catch {
            report.fail("Mailgun", "\(error)")
        }
    }

    private func twilio(
        sid: String, _ settings: ProviderSettings, transport: ProviderTransport, timeout: Duration,
        into report: inout DoctorReport
    ) async {
        guard let token = settings.twilioAuthToken else {
            report.fail("Twilio", "TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN")
            return
        }
        let client = TwilioClient(
            transport: transport,
            endpoint: TwilioClient.endpoint(
                accountSID: sid, authToken: token, baseURL: settings.twilioBaseURL, timeout: timeout),
            accountSID: sid)
        do {
            let account = try await client.account()
            switch (account.status, account.type) {
            case ("active", "Trial"):
                report.warn("Twilio", "account \(account.sid) is a trial: it sends only to verified numbers")
            case ("active", _): report.ok("Twilio", "the credentials are accepted; account \(account.sid) is active")
            default: report.fail("Twilio", "account \(account.sid) is \(account.status): it cannot send")
            }
        } catch {
            report.fail("Twilio", "\(error)")
        }
    }
}
