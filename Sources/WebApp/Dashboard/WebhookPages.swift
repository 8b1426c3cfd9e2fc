import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/webhooks`: the workspace's outgoing webhook endpoints, what became of their last attempts, and why one
/// was disabled. Everyone reads it; admins add, pause, test, re-key, replay and delete. A new secret is shown
/// on the page that made it, once.
struct WebhookPages {
    let templates: Templates
    let endpoints: WebhookEndpointStore
    let messages: WebhookMessageStore
    let outbound: OutboundURLPolicy
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<DashboardContext>) {
        group.get("webhooks", use: show)
        group.post("webhooks", use: add)
        group.post("webhooks/:id/status", use: setStatus)
        group.post("webhooks/:id/test", use: test)
        group.post("webhooks/:id/rotate", use: rotate)
        group.post("webhooks/:id/replay", use: replay)
        group.post("webhooks/:id/delete", use: delete)
    }

    struct Attempt {
        var at, outcome, duration: String
        var succeeded: Bool
    }

    struct Endpoint {
        var id, url, description, status, events: String
        var active, paused, disabled: Bool
        var disabledReason, failingSince: String?
        var attempts: [Attempt]
    }

    struct EventOption {
        var value: String
        var checked: Bool
    }

    struct Page {
        var nav: Navigation
        var csrfToken: String
        var error: String?
        var notice: String?
        /// A secret just made, with the endpoint it signs for.
        var secret: String?
        var secretFor: String?
        var isAdmin: Bool
        var endpoints: [Endpoint]
        var hasEndpoints: Bool
        var disabledCount: Int
        var events: [EventOption]
    }

    @Sendable func show(_ request: Request, context: DashboardContext) async throws -> Response {
        try await page(context)
    }

    private func page(
        _ context: DashboardContext, error: String? = nil, notice: String? = nil,
        secret: (value: String, endpoint: String)? = nil
    ) async throws -> Response {
        let workspace = context.session.user.workspaceID
        var rows: [Endpoint] = []
        for endpoint in try await endpoints.list(in: workspace) {
            let attempts = try await messages.attempts(of: endpoint.id, in: workspace, limit: 5).map { attempt in
                Attempt(
                    at: Self.time(attempt.startedAt),
                    outcome: "\(attempt.eventType): "
                        + (attempt.statusCode.map { "HTTP \($0)" } ?? attempt.error ?? "no answer"),
                    duration: "\(attempt.durationMilliseconds) ms", succeeded: attempt.succeeded)
            }
            rows.append(
                Endpoint(
                    id: endpoint.id, url: endpoint.url, description: endpoint.description,
                    status: endpoint.status.rawValue, events: endpoint.events.joined(separator: ", "),
                    active: endpoint.status == .active, paused: endpoint.status == .paused,
                    disabled: endpoint.status == .disabled, disabledReason: endpoint.disabledReason,
                    failingSince: endpoint.failingSince.map(Self.time), attempts: attempts))
        }
        return try templates.page(
            "webhooks",
            Page(
                nav: Navigation(context, active: .webhooks), csrfToken: context.session.csrfToken, error: error,
                notice: notice, secret: secret?.value, secretFor: secret?.endpoint,
                isAdmin: context.session.user.role >= .admin, endpoints: rows, hasEndpoints: !rows.isEmpty,
                disabledCount: rows.filter(\.disabled).count,
                events: WebhookEndpoint.eventTypes.map { EventOption(value: $0, checked: false) }),
            status: error == nil ? .ok : .badRequest)
    }

    @Sendable func add(_ request: Request, context: DashboardContext) async throws -> Response {
        let (form, fields) = try await adminsForm(request, context)
        let url = (form["url"] ?? "").trimmingCharacters(in: .whitespaces)
        let description = String((form["description"] ?? "").prefix(500))
        let known = Set(WebhookEndpoint.eventTypes)
        var events = fields.filter { $0.name == "events" }.map(\.value).filter { known.contains($0) }
        if events.isEmpty || form["all_events"] == "1" { events = ["*"] }
        guard url.count <= 2048, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""),
            parsed.host?.isEmpty == false
        else {
            return try await page(context, error: "URL: expected an http or https URL")
        }
        do {
            try await outbound.check(parsed)
        } catch {
            return try await page(context, error: "URL: \(error.description)")
        }
        do {
            let (endpoint, secret) = try await endpoints.create(
                url: url, description: description, events: events, in: context.session.user.workspaceID)
            return try await page(context, secret: (secret, endpoint.url))
        } catch let failure as WorkspaceLimitReached {
            return try await page(context, error: failure.description)
        }
    }

    @Sendable func setStatus(_ request: Request, context: DashboardContext) async throws -> Response {
        let (form, _) = try await adminsForm(request, context)
        guard let status = form["status"].flatMap(WebhookEndpoint.Status.init(rawValue:)), status != .disabled else {
            return try await page(context, error: "Status: choose active or paused")
        }
        let id = try context.parameters.require("id")
        guard
            try await endpoints.update(id, in: context.session.user.workspaceID, WebhookEndpointChange(status: status))
                != nil
        else { throw DashboardError.notFound }
        return Redirect.to("/webhooks")
    }

    @Sendable func test(_ request: Request, context: DashboardContext) async throws -> Response {
        _ = try await adminsForm(request, context)
        let id = try context.parameters.require("id")
        guard try await messages.sendTest(to: id, in: context.session.user.workspaceID) != nil else {
            throw DashboardError.notFound
        }
        return try await page(context, notice: "A webhook.test event is on its way; its attempt shows below.")
    }

    @Sendable func rotate(_ request: Request, context: DashboardContext) async throws -> Response {
        _ = try await adminsForm(request, context)
        let id = try context.parameters.require("id")
        let workspace = context.session.user.workspaceID
        guard let rotated = try await endpoints.rotateSecret(id, in: workspace),
            let endpoint = try await endpoints.get(id, in: workspace)
        else { throw DashboardError.notFound }
        return try await page(
            context, notice: "The old secret still signs until \(Self.time(rotated.previousValidUntil)).",
            secret: (rotated.secret, endpoint.url))
    }

    @Sendable func replay(_ request: Request, context: DashboardContext) async throws -> Response {
        let (form, _) = try await adminsForm(request, context)
        let id = try context.parameters.require("id")
        guard let hours = form["hours"].flatMap(Int.init), (1...720).contains(hours) else {
            return try await page(context, error: "Replay: choose how many hours back, from 1 to 720")
        }
        let since = now().addingTimeInterval(-Double(hours) * 3600)
        let count = try await messages.replay(endpointID: id, in: context.session.user.workspaceID, since: since)
        return try await page(context, notice: "\(count) message\(count == 1 ? "" : "s") will be sent again.")
    }

    @Sendable func delete(_ request: Request, context: DashboardContext) async throws -> Response {
        _ = try await adminsForm(request, context)
        let id = try context.parameters.require("id")
        guard try await endpoints.delete(id, in: context.session.user.workspaceID) else {
            throw DashboardError.notFound
        }
        return Redirect.to("/webhooks")
    }

    /// The posted form (and every field, for repeated ones), when its CSRF token is right and the user is an
    /// admin.
    private func adminsForm(_ request: Request, _ context: DashboardContext) async throws -> (
        [String: String], [(name: String, value: String)]
    ) {
        let buffer = try await request.body.collect(upTo: Forms.limit)
        let fields = FormURLEncoded.parse(String(buffer: buffer)).map { (name: $0.name, value: $0.value) }
        let form = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        try CSRF.check(form["csrf_token"], expected: context.session.csrfToken)
        guard context.session.user.role >= .admin else {
            throw HTTPError(
                .forbidden,
                message:
                    "Your role (\(context.session.user.role.rawValue)) lets you see the webhooks; admins manage them.")
        }
        return (form, fields)
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
