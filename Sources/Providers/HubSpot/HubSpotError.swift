import Foundation

/// What HubSpot refused, read from its error body `{status, message, correlationId, category, …}`
/// (docs/reference/hubspot.md).
public enum HubSpotError: Error, Sendable, Equatable, CustomStringConvertible {
    case unauthorized(String)
    /// 429 on every attempt; `policy` is `TEN_SECONDLY_ROLLING`, `SECONDLY` or `DAILY`.
    case rateLimited(policy: String?, message: String, retryAfter: TimeInterval?)
    /// 409: the unique value (a contact's e-mail) belongs to the record `existingID`, parsed from the message,
    /// the only place HubSpot puts it.
    case conflict(existingID: String?, message: String)
    /// Any other 4xx, with HubSpot's category (`VALIDATION_ERROR`, `OBJECT_NOT_FOUND`, …).
    case rejected(status: Int, category: String?, message: String)
    /// 5xx, a timeout, or no answer.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unauthorized(let message): "HubSpot rejected the access token: \(message)"
        case .rateLimited(let policy, let message, _):
            "HubSpot rate limit\(policy.map { " (\($0))" } ?? ""): \(message)"
        case .conflict(let id, let message): "HubSpot conflict\(id.map { " with record \($0)" } ?? ""): \(message)"
        case .rejected(let status, let category, let message):
            "HubSpot rejected the request (\(status)\(category.map { " \($0)" } ?? "")): \(message)"
        case .unavailable(let message): "HubSpot is unavailable: \(message)"
        }
    }

    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable: true
        default: false
        }
    }

    /// How long to wait before trying again: until the daily quota resets for `DAILY`, else the hint or 10 s.
    public var retryDelay: TimeInterval {
        switch self {
        case .rateLimited(let policy, _, let retryAfter): policy == "DAILY" ? 3600 : retryAfter ?? 10
        default: 30
        }
    }

    static func from(_ error: ProviderError) -> HubSpotError {
        switch error {
        case .rateLimited(_, let retryAfter, let text):
            let body = Body(text)
            return .rateLimited(
                policy: body.policyName, message: body.message ?? "too many requests", retryAfter: retryAfter)
        case .timeout, .unreachable:
            return .unavailable(error.description)
        case .http(_, let status, let text):
            let body = Body(text)
            let message = body.message ?? "HTTP \(status)"
            switch status {
            case 401: return .unauthorized(message)
            case 409: return .conflict(existingID: existingID(in: message), message: message)
            case 400..<500: return .rejected(status: status, category: body.category, message: message)
            default: return .unavailable("HTTP \(status): \(message)")
            }
        }
    }

    /// "Contact already exists. Existing ID: 37765128953" → "37765128953".
    public static func existingID(in message: String) -> String? {
        guard let range = message.range(of: "Existing ID: ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    struct Body: Decodable {
        var message: String?
        var category: String?
        var policyName: String?

        init(_ text: String) {
            self =
                (try? JSONDecoder().decode(Body.self, from: Data(text.utf8)))
                ?? Body(message: text.isEmpty ? nil : String(text.prefix(300)), category: nil, policyName: nil)
        }

        init(message: String?, category: String?, policyName: String?) {
            self.message = message
            self.category = category
            self.policyName = policyName
        }
    }
}
