import Foundation
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Pipeline
import Providers
import Storage

/// The messaging vendors' webhooks (docs/reference/messaging.md §1.2–1.3, §2.2–2.3, §3.2–3.4). Each request is
/// checked as its vendor signs it and refused with 401 when the signature or its time is wrong; each event is
/// read into a `MessageEvent` and handed to `MessageEventIntake`, which keeps it once, applies opt-outs to the
/// suppression list and applies it to the message it is about. Replies come in as SMS (Twilio's inbound
/// webhook) and as e-mail forwarded by a Mailgun route (`POST /webhooks/mailgun/inbound`, signed the same way
/// as Mailgun's webhooks) or posted by SendGrid's Inbound Parse (`POST /webhooks/sendgrid/inbound?token=…`).
///
/// The keys come from the environment, which serves the default workspace; an e-mail event that names its
/// workspace (`leadgen_workspace_id`, set as a custom argument or variable when sending) goes to that one.
struct MessagingWebhooksController {
    let sendgridKey: String?
    let sendgridInboundToken: String?
    let mailgunKey: String?
    let twilioToken: String?
    let publicURL: URL?
    let intake: MessageEventIntake
    let webhooks: WebhookStore
    let workspaces: WorkspaceStore
    let maxBody: Int
    let now: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.post("webhooks/sendgrid/events", use: sendgrid)
        router.post("webhooks/sendgrid/inbound", use: sendgridInbound)
        router.post("webhooks/mailgun/events", use: mailgun)
        router.post("webhooks/mailgun/inbound", use: mailgunInbound)
        router.post("webhooks/twilio/status", use: twilioStatus)
        router.post("webhooks/twilio/inbound", use: twilioInbound)
    }

    struct Receipt: Encodable {
        var received: Int
        var recorded: Int
    }

    static func notConfigured(_ vendor: String, _ setting: String) -> Problem {
        Problem(status: .notFound, title: "Not Found", detail: "\(vendor) webhooks are not enabled: set \(setting)")
    }

    static func unauthorized(_ reason: String) -> Problem {
        Problem(status: .unauthorized, title: "Unauthorized", detail: reason)
    }

    func body(_ request: Request) async throws -> Data {
        do { return Data(buffer: try await request.body.collect(upTo: maxBody)) } catch {
            throw Problem.tooLarge(limit: maxBody)
        }
    }

    func workspace(named id: String?) async throws -> WorkspaceID {
        if let id, let found = try await workspaces.find(id: WorkspaceID(rawValue: id)) { return found.id }
        guard let fallback = try await workspaces.find(slug: "default") else {
            throw Problem(status: .conflict, title: "Conflict", detail: "there is no default workspace yet")
        }
        return fallback.id
    }

    /// The payload as stored with the event: JSON text, keys sorted.
    static func json(_ value: JSON) -> String { value.text }

    static func json(_ fields: [String: String]) -> String { json(.object(fields.mapValues { .string($0) })) }

    /// A form body's parameters, in order, repeated names kept.
    static func form(_ data: Data) -> [(String, String)] {
        FormURLEncoded.parse(data).map { ($0.name, $0.value) }
    }
}
