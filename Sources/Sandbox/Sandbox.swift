import Foundation

/// Faithful fakes of Apollo.io, HubSpot, Slack and Make behind one HTTP surface: Apollo under `/api/v1`,
/// HubSpot under `/crm` and `/account-info`, Slack incoming webhooks under `/services`, Make under `/make`,
/// and the sandbox's own controls under `/__sandbox` (ledgers of what was charged and created, and planned
/// faults). Point `APOLLO_BASE_URL` at `<sandbox>/api/v1` and `HUBSPOT_BASE_URL` at `<sandbox>`.
public final class Sandbox: Sendable {
    public let options: SandboxOptions
    let faults: FaultPlan
    let apollo: ApolloFake
    let hubspot: HubSpotFake
    let slack: SlackFake
    let make: MakeFake
    let sendgrid: SendGridFake
    let twilio: TwilioFake
    let mailgun: MailgunFake
    let callbacks: MessagingCallbacks

    /// `now` is the fakes' clock: their timestamps, rate-limit windows and signed callbacks follow it.
    public init(options: SandboxOptions = SandboxOptions(), now: @escaping @Sendable () -> Date) {
        self.options = options
        faults = FaultPlan(errorRate: options.errorRate)
        callbacks = MessagingCallbacks(baseURL: options.callbackBaseURL, now: now)
        apollo = ApolloFake(options: options, faults: faults, now: now)
        hubspot = HubSpotFake(options: options, faults: faults, now: now)
        slack = SlackFake(options: options, faults: faults, now: now)
        make = MakeFake(options: options, faults: faults, now: now)
        sendgrid = SendGridFake(options: options, faults: faults, callbacks: callbacks, now: now)
        twilio = TwilioFake(options: options, faults: faults, callbacks: callbacks, now: now)
        mailgun = MailgunFake(options: options, faults: faults, callbacks: callbacks, now: now)
    }

    /// The public key SendGrid's fake signs its events with (`SENDGRID_WEBHOOK_PUBLIC_KEY`).
    public var sendgridWebhookPublicKey: String { callbacks.sendgridPublicKey }

    /// Points the messaging fakes' webhooks at our server's root.
    public func setCallbackBaseURL(_ url: URL?) { callbacks.baseURL = url }

    /// Waits until every webhook the fakes have posted so far was answered.
    public func settleCallbacks() async { await callbacks.settle() }

    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        if options.latency > .zero { try? await Task.sleep(for: options.latency) }
        if request.path.hasPrefix("/__sandbox") { return await control(request) }
        if request.path.hasPrefix("/crm/") || request.path.hasPrefix("/account-info/") {
            return await hubspot.handle(request)
        }
        if request.path.hasPrefix("/services/") { return await slack.handle(request) }
        if request.path.hasPrefix("/make/") { return await make.handle(request) }
        if request.path.hasPrefix("/v3/mail/") || request.path == "/v3/scopes" { return await sendgrid.handle(request) }
        if request.path.hasPrefix("/2010-04-01/") { return await twilio.handle(request) }
        if request.path.hasPrefix("/v3/"), request.path.hasSuffix("/messages") { return await mailgun.handle(request) }
        if request.path.hasPrefix("/v4/domains/") { return await mailgun.handle(request) }
        if request.path.hasPrefix("/api/v1/") || request.path.hasPrefix("/v1/") { return await apollo.handle(request) }
        return .json(404, ["error": "Not found"])
    }

    private func control(_ request: SandboxRequest) async -> SandboxResponse {
        switch (request.method, request.path) {
        case ("GET", "/__sandbox"):
            return .json(
                200,
                [
                    "apollo": [
                        "base_path": "/api/v1", "api_key": SandboxOptions.apolloAPIKey, "people": options.people,
                    ],
                    "hubspot": ["base_path": "", "access_token": SandboxOptions.hubspotToken],
                    "slack": ["webhook_path": SandboxOptions.slackWebhookPath],
                    "sendgrid": [
                        "base_path": "", "api_key": SandboxOptions.sendgridAPIKey,
                        "webhook_public_key": callbacks.sendgridPublicKey,
                    ],
                    "mailgun": [
                        "base_path": "", "api_key": SandboxOptions.mailgunAPIKey,
                        "domain": SandboxOptions.mailgunDomain,
                        "webhook_signing_key": SandboxOptions.mailgunWebhookSigningKey,
                    ],
                    "twilio": [
                        "base_path": "", "account_sid": SandboxOptions.twilioAccountSID,
                        "auth_token": SandboxOptions.twilioAuthToken, "from": SandboxOptions.twilioFromNumber,
                    ],
                    "make": [
                        "base_path": "/make/api/v2", "api_token": SandboxOptions.makeAPIToken,
                        "team_id": SandboxOptions.makeTeamID,
                        "hook_path": "/make/hooks/\(SandboxOptions.makeHookToken)",
                    ],
                ])
        case ("GET", "/__sandbox/apollo/ledger"): return await apollo.ledger()
        case ("GET", "/__sandbox/hubspot/ledger"): return await hubspot.ledger()
        case ("GET", "/__sandbox/slack/ledger"): return await slack.ledger()
        case ("GET", "/__sandbox/make/ledger"): return await make.ledger()
        case ("GET", "/__sandbox/sendgrid/ledger"): return await sendgrid.ledger()
        case ("GET", "/__sandbox/twilio/ledger"): return await twilio.ledger()
        case ("GET", "/__sandbox/mailgun/ledger"): return await mailgun.ledger()
        case ("POST", "/__sandbox/twilio/stop"):
            guard let number = (try? request.jsonObject())??["number"] as? String else {
                return .json(400, ["error": "expected {\"number\": \"+1…\"}"])
            }
            await twilio.stop(number)
            return SandboxResponse(status: 204)
        case ("POST", "/__sandbox/callbacks"):
            guard let text = (try? request.jsonObject())??["base_url"] as? String, let url = URL(string: text) else {
                return .json(400, ["error": "expected {\"base_url\": \"http://…\"}"])
            }
            callbacks.baseURL = url
            return SandboxResponse(status: 204)
        case ("GET", "/__sandbox/callbacks"):
            return .json(200, ["base_url": (callbacks.baseURL?.absoluteString as Any?) ?? null, "sent": callbacks.log])
        case ("POST", "/__sandbox/callbacks/settle"):
            await callbacks.settle()
            return SandboxResponse(status: 204)
        case ("POST", "/__sandbox/sendgrid/events"), ("POST", "/__sandbox/mailgun/events"):
            let object = (try? request.jsonObject()) ?? nil
            guard let to = object?["to"] as? String, let event = object?["event"] as? String else {
                return .json(400, ["error": "expected {\"to\": \"…@…\", \"event\": \"open\"}"])
            }
            let found =
                request.path.contains("sendgrid")
                ? await sendgrid.engage(event, to: to) : await mailgun.engage(event, to: to)
            return found ? SandboxResponse(status: 204) : .json(404, ["error": "nothing was sent to \(to)"])
        case ("POST", "/__sandbox/sendgrid/reply"):
            let object = (try? request.jsonObject()) ?? nil
            guard let from = object?["from"] as? String else {
                return .json(400, ["error": "expected {\"from\": \"…@…\", \"text\": \"…\"}"])
            }
            await sendgrid.reply(from: from, text: object?["text"] as? String ?? "Thanks, let's talk.")
            return SandboxResponse(status: 204)
        case ("POST", "/__sandbox/mailgun/reply"):
            let object = (try? request.jsonObject()) ?? nil
            guard let from = object?["from"] as? String else {
                return .json(400, ["error": "expected {\"from\": \"…@…\", \"text\": \"…\"}"])
            }
            await mailgun.reply(from: from, text: object?["text"] as? String ?? "Thanks, let's talk.")
            return SandboxResponse(status: 204)
        case ("POST", "/__sandbox/twilio/inbound"):
            let object = (try? request.jsonObject()) ?? nil
            guard let from = object?["from"] as? String, let body = object?["body"] as? String else {
                return .json(400, ["error": "expected {\"from\": \"+1…\", \"body\": \"…\"}"])
            }
            await twilio.inbound(from: from, body: body)
            return SandboxResponse(status: 204)
        case ("POST", "/__sandbox/faults"):
            guard let fault = try? JSONDecoder().decode(FaultPlan.Fault.self, from: request.body) else {
                return .json(400, ["error": "expected {\"path\":…,\"status\":…,\"count\":…}"])
            }
            await faults.add(fault)
            return .json(201, ["planned": fault.count])
        case ("DELETE", "/__sandbox/faults"):
            await faults.clear()
            return SandboxResponse(status: 204)
        default:
            return .json(404, ["error": "Not found"])
        }
    }
}
