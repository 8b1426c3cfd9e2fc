import Crypto
import Foundation
import Hummingbird
import LeadgenCore
import Outreach
import Pipeline
import Storage

/// One-click unsubscribe links (RFC 8058, docs/reference/messaging.md §6.2): `POST /u/{token}` unsubscribes at once
/// — what mail clients send for `List-Unsubscribe-Post`, with no cookie and no CSRF token — and `GET` only
/// shows a page with a button, so a link scanner or prefetch never unsubscribes anyone. The address goes on
/// the workspace's suppression list, with an audit entry; the latest message to it counts the unsubscribe, and
/// every sequence still going for it stops.
struct UnsubscribeController {
    /// The signing key's bytes; nil without `LEADGEN_MASTER_KEY`: no link can be checked.
    let keyData: Data?
    let suppressions: SuppressionStore
    let workspaces: WorkspaceStore
    let engagement: EngagementRecorder
    let templates: Templates
    let now: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.get("u/:token", use: confirm)
        router.post("u/:token", use: unsubscribe)
    }

    struct Page: Encodable {
        var title: String
        var message: String
        var confirm = false
        var token = ""
        var email = ""
    }

    func read(_ context: AppRequestContext) async throws -> (UnsubscribeToken, String)? {
        let token = try context.parameters.require("token")
        guard let keyData, let parsed = UnsubscribeToken(token: token, key: SymmetricKey(data: keyData)),
            try await workspaces.find(id: WorkspaceID(rawValue: parsed.workspaceID)) != nil
        else { return nil }
        return (parsed, token)
    }

    var notFound: Response {
        get throws {
            try templates.page(
                "unsubscribe",
                Page(
                    title: "Link not valid",
                    message: "This unsubscribe link is not valid. Reply to the e-mail to be removed."),
                status: .notFound)
        }
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (parsed, token) = try await read(context) else { return try notFound }
        return try templates.page(
            "unsubscribe",
            Page(
                title: "Unsubscribe", message: "Stop receiving these e-mails at \(parsed.email)?", confirm: true,
                token: token, email: parsed.email))
    }

    @Sendable func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (parsed, _) = try await read(context) else { return try notFound }
        let workspace = WorkspaceID(rawValue: parsed.workspaceID)
        let new = try await suppressions.suppress(
            .email, parsed.email, reason: "unsubscribed", source: "one-click",
            detail: request.headers[.userAgent].map { "user agent: \($0.prefix(200))" }, in: workspace)
        if new {
            try await engagement.record(
                kind: "unsubscribed", .init(provider: "leadgen", from: parsed.email, channel: "email"), at: now(),
                event: nil, in: workspace)
        }
        try await engagement.suppressed(parsed.email, channel: "email", reason: "unsubscribed", in: workspace)
        return try templates.page(
            "unsubscribe", Page(title: "Unsubscribed", message: "\(parsed.email) will not receive these e-mails again.")
        )
    }
}
