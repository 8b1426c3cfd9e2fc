import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/api/v1/webhooks`: the endpoints a workspace's events are sent to (signed to the Standard Webhooks
/// spec), their delivery log, tests and replays. The signing secret is shown once, when an endpoint is
/// created or its secret rotated. Zapier's REST hooks subscribe here too, with `target_url`.
struct WebhooksController {
    let endpoints: WebhookEndpointStore
    let messages: WebhookMessageStore
    let outbound: OutboundURLPolicy

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("webhooks", use: list)
        group.post("webhooks", use: create)
        group.get("webhooks/:id", use: get)
        group.patch("webhooks/:id", use: update)
        group.delete("webhooks/:id", use: delete)
        group.post("webhooks/:id/test", use: test)
        group.post("webhooks/:id/rotate-secret", use: rotateSecret)
        group.post("webhooks/:id/replay", use: replay)
        group.get("webhooks/:id/messages", use: listMessages)
        group.get("webhooks/:id/attempts", use: listAttempts)
    }

    static let maxURLLength = 2048
    static let maxDescriptionLength = 500

    struct EndpointDTO: Encodable {
        var id, url, description, status: String
        var events: [String]
        var disabledReason: String?
        var failingSince: Date?
        var createdAt, updatedAt: Date
        /// Only in the answer that creates the endpoint.
        var secret: String?

        init(_ endpoint: WebhookEndpoint, secret: String? = nil) {
            id = endpoint.id
            url = endpoint.url
            description = endpoint.description
            status = endpoint.status.rawValue
            events = endpoint.events
            disabledReason = endpoint.disabledReason
            failingSince = endpoint.failingSince
            createdAt = endpoint.createdAt
            updatedAt = endpoint.updatedAt
            self.secret = secret
        }
    }

    struct Page<Item: Encodable>: Encodable { var data: [Item] }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(Page(data: try await endpoints.list(in: context.workspace).map { EndpointDTO($0) }))
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(EndpointDTO(try await endpoint(context)))
    }

    /// Creates an endpoint: `url` (or Zapier's `target_url`), `events` (types, or `["*"]`), `description`.
    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context),
            allowed: ["url", "target_url", "events", "description"])
        let urlField = fields.object["target_url"] != nil && fields.object["url"] == nil ? "target_url" : "url"
        let url = await checkedURL(fields.string(urlField, required: true), field: urlField, &fields)
        let events = checkedEvents(fields.strings("events") ?? ["*"], &fields)
        let description = checkedDescription(fields.string("description"), &fields) ?? ""
        try fields.check()
        do {
            let (endpoint, secret) = try await endpoints.create(
                url: url ?? "", description: description, events: events, in: context.workspace)
            return try JSONResponse.make(EndpointDTO(endpoint, secret: secret), status: .created)
        } catch let error as WorkspaceLimitReached {
            throw Problem(status: .conflict, title: "Conflict", detail: error.description)
        }
    }

    /// Changes an endpoint's `url`, `events`, `description` or `status` (`active` or `paused`).
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context),
            allowed: ["url", "events", "description", "status"])
        var change = WebhookEndpointChange()
        if let text = fields.string("url") { change.url = await checkedURL(text, field: "url", &fields) }
        if let events = fields.strings("events") { change.events = checkedEvents(events, &fields) }
        if fields.object["description"] != nil {
            change.description = checkedDescription(fields.string("description"), &fields) ?? ""
        }
        if let status = fields.string("status") {
            switch WebhookEndpoint.Status(rawValue: status) {
            case .active?: change.status = .active
            case .paused?: change.status = .paused
            default: fields.fail("status", "expected active or paused")
            }
        }
        try fields.check()
        guard let endpoint = try await endpoints.update(id, in: context.workspace, change) else {
            throw Problem.notFound("webhook endpoint \(id)")
        }
        return try JSONResponse.make(EndpointDTO(endpoint))
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await endpoints.delete(id, in: context.workspace) else {
            throw Problem.notFound("webhook endpoint \(id)")
        }
        return Response(status: .noContent)
    }

    struct Queued: Encodable {
        var messageId: String?
        var queued: Int
    }

    /// Sends a `webhook.test` event to the endpoint, through the same delivery as every other.
    @Sendable func test(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let messageID = try await messages.sendTest(to: id, in: context.workspace) else {
            throw Problem.notFound("webhook endpoint \(id)")
        }
        return try JSONResponse.make(Queued(messageId: messageID, queued: 1), status: .accepted)
    }

    struct Secret: Encodable {
        var secret: String
        var previousSecretValidUntil: Date
    }

    /// A new signing secret, shown this once; messages are signed with the old one too for 24 hours.
    @Sendable func rotateSecret(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let rotated = try await endpoints.rotateSecret(id, in: context.workspace) else {
            throw Problem.notFound("webhook endpoint \(id)")
        }
        return try JSONResponse.make(
            Secret(secret: rotated.secret, previousSecretValidUntil: rotated.previousValidUntil))
    }

    /// Sends delivered or failed messages again: `message_id` for one, or `since` (ISO 8601) for every one
    /// created since then.
    @Sendable func replay(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ["message_id", "since"])
        let messageID = fields.string("message_id")
        let since = fields.string("since").flatMap { text in
            (try? Date(text, strategy: .iso8601))
                ?? {
                    fields.fail("since", "expected an ISO 8601 time, such as 2026-12-07T10:00:00Z")
                    return nil
                }()
        }
        if messageID == nil, since == nil, fields.errors.isEmpty {
            fields.fail("message_id", "give message_id, or since to replay every message since then")
        }
        try fields.check()
        _ = try await endpoint(context)
        let count = try await messages.replay(
            endpointID: id, in: context.workspace, messageID: messageID, since: since)
        if let messageID, count == 0 {
            throw Problem.notFound("a delivered or failed message \(messageID) of webhook endpoint \(id)")
        }
        return try JSONResponse.make(Queued(messageId: messageID, queued: count), status: .accepted)
    }

    struct MessageDTO: Encodable {
        var id, eventType, state: String
        var subject: String?
        var attempts: Int
        var nextAttemptAt: Date?
        var lastStatus: Int?
        var lastError: String?
        var deliveredAt: Date?
        var createdAt: Date

        init(_ message: WebhookMessage) {
            id = message.id
            eventType = message.eventType
            state = message.state.rawValue
            subject = message.subject
            attempts = message.attempts
            nextAttemptAt = message.state == .pending ? message.nextAttemptAt : nil
            lastStatus = message.lastStatus
            lastError = message.lastError
            deliveredAt = message.deliveredAt
            createdAt = message.createdAt
        }
    }

    @Sendable func listMessages(_ request: Request, context: APIRequestContext) async throws -> Response {
        let endpoint = try await endpoint(context)
        let limit = try Self.limit(request)
        return try JSONResponse.make(
            Page(
                data: try await messages.messages(of: endpoint.id, in: context.workspace, limit: limit).map(
                    MessageDTO.init)))
    }

    struct AttemptDTO: Encodable {
        var id, messageId, eventType: String
        var attempt, durationMs: Int
        var startedAt: Date
        var statusCode: Int?
        var error: String?
        var responseExcerpt: String
        var succeeded: Bool

        init(_ attempt: WebhookAttempt) {
            id = attempt.id
            messageId = attempt.messageID
            eventType = attempt.eventType
            self.attempt = attempt.attempt
            durationMs = attempt.durationMilliseconds
            startedAt = attempt.startedAt
            statusCode = attempt.statusCode
            error = attempt.error
            responseExcerpt = attempt.responseExcerpt
            succeeded = attempt.succeeded
        }
    }

    @Sendable func listAttempts(_ request: Request, context: APIRequestContext) async throws -> Response {
        let endpoint = try await endpoint(context)
        let limit = try Self.limit(request)
        return try JSONResponse.make(
            Page(
                data: try await messages.attempts(of: endpoint.id, in: context.workspace, limit: limit).map(
                    AttemptDTO.init)))
    }

    // MARK: Reading the request

    private func endpoint(_ context: APIRequestContext) async throws -> WebhookEndpoint {
        let id = try context.parameters.require("id")
        guard let endpoint = try await endpoints.get(id, in: context.workspace) else {
            throw Problem.notFound("webhook endpoint \(id)")
        }
        return endpoint
    }

    /// `?limit=`, 1 to 500, 100 when absent.
    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 100 }
        guard let limit = Int(text), (1...500).contains(limit) else {
            throw Problem.badRequest("limit must be a whole number from 1 to 500", field: "limit")
        }
        return limit
    }

    /// The URL when it is an http(s) URL the outbound policy allows; a problem on `field` otherwise.
    private func checkedURL(_ text: String?, field: String, _ fields: inout JSONFields) async -> String? {
        guard let text else { return nil }
        guard text.count <= Self.maxURLLength else {
            fields.fail(field, "must be at most \(Self.maxURLLength) characters")
            return nil
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            fields.fail(field, "expected an http or https URL")
            return nil
        }
        do {
            try await outbound.check(url)
        } catch {
            fields.fail(field, error.description)
            return nil
        }
        return text
    }

    private func checkedEvents(_ events: [String], _ fields: inout JSONFields) -> [String] {
        let known = Set(WebhookEndpoint.eventTypes)
        if events.isEmpty { fields.fail("events", "name at least one event type, or \"*\" for all") }
        if events.count > known.count + 1 { fields.fail("events", "too many event types") }
        for (index, event) in events.enumerated() where event != "*" && !known.contains(event) {
            fields.fail(
                "events[\(index)]",
                "unknown event type '\(event.prefix(100))'; known: \(WebhookEndpoint.eventTypes.joined(separator: ", "))"
            )
        }
        var seen = Set<String>()
        return events.filter { seen.insert($0).inserted }
    }

    private func checkedDescription(_ text: String?, _ fields: inout JSONFields) -> String? {
        guard let text else { return nil }
        guard text.count <= Self.maxDescriptionLength else {
            fields.fail("description", "must be at most \(Self.maxDescriptionLength) characters")
            return nil
        }
        return text
    }
}
