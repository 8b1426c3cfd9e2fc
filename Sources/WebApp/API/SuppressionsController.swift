import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/api/v1/suppressions`: the workspace's suppression list — e-mail addresses, domains and phone numbers no
/// message may go to — and each value's consent history. Every change is an audit entry.
struct SuppressionsController {
    let suppressions: SuppressionStore

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("suppressions", use: list)
        group.post("suppressions", use: add)
        group.delete("suppressions/:kind/:value", use: remove)
        group.get("suppressions/:kind/:value/history", use: history)
    }

    struct SuppressionDTO: Encodable {
        var kind, value, reason, source: String
        var createdAt: Date
    }

    struct ConsentDTO: Encodable {
        var action, reason, source: String
        var detail: String?
        var createdAt: Date
    }

    struct Page<T: Encodable>: Encodable { var data: [T] }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(
            Page(
                data: try await suppressions.list(in: context.workspace).map {
                    SuppressionDTO(
                        kind: $0.kind.rawValue, value: $0.value, reason: $0.reason, source: $0.source,
                        createdAt: $0.createdAt)
                }))
    }

    /// `{kind: email|domain|phone, value, reason}`: 201 when added, 200 when it was there already.
    @Sendable func add(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ["kind", "value", "reason"])
        let kindText = fields.string("kind", required: true)
        let value = fields.string("value", required: true)
        let reason = fields.string("reason") ?? "manual"
        let kind = kindText.flatMap(Suppression.Kind.init(rawValue:))
        if kindText != nil, kind == nil { fields.fail("kind", "one of email, domain, phone") }
        if let kind, let value, let problem = Self.problem(kind, value) { fields.fail("value", problem) }
        try fields.check()
        guard let kind, let value else { throw Problem.badRequest("kind and value are required") }
        let added = try await suppressions.suppress(kind, value, reason: reason, source: "api", in: context.workspace)
        // The value as it is kept and matched: an address or domain in lower case, a number as its digits.
        let stored = SuppressionStore.normalize(kind, value)
        return try JSONResponse.make(["suppressed": stored], status: added ? .created : .ok)
    }

    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (kind, value) = try parameters(context)
        guard try await suppressions.lift(kind, value, reason: "manual", source: "api", in: context.workspace) else {
            throw Problem.notFound("a suppression of \(value)")
        }
        return Response(status: .noContent)
    }

    @Sendable func history(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (kind, value) = try parameters(context)
        return try JSONResponse.make(
            Page(
                data: try await suppressions.history(kind, value, in: context.workspace).map {
                    ConsentDTO(
                        action: $0.action.rawValue, reason: $0.reason, source: $0.source, detail: $0.detail,
                        createdAt: $0.createdAt)
                }))
    }

    private func parameters(_ context: APIRequestContext) throws -> (Suppression.Kind, String) {
        let kindText = try context.parameters.require("kind")
        guard let kind = Suppression.Kind(rawValue: kindText) else {
            throw Problem.notFound("suppressions of kind \(kindText) (expected email, domain or phone)")
        }
        let value = try context.parameters.require("value").removingPercentEncoding ?? ""
        return (kind, value)
    }

    /// What is wrong with a value for its kind, if anything.
    static func problem(_ kind: Suppression.Kind, _ value: String) -> String? {
        switch kind {
        case .email: (try? EmailAddress(parsing: value)) == nil ? "not an e-mail address" : nil
        case .domain: (try? Domain(parsing: value)) == nil ? "not a domain" : nil
        case .phone:
            (try? PhoneNumber(parsing: value))?.e164 == nil ? "not a phone number in E.164 (+14155550100)" : nil
        }
    }
}
