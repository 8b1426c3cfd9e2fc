import Foundation
import LeadgenCore

/// What Apollo refused, read from its error bodies, which share no envelope (docs/reference/apollo.md §6): 401 is plain
/// text, 403 and 422 carry `error` (and sometimes `error_code`), the bulk endpoints' 400s carry
/// `error_code` and `error_message`, and 429 carries `message` naming the limit.
public enum ApolloError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key is missing, wrong, or sent the wrong way (as a Bearer token).
    case unauthorized(String)
    /// The key may not call this endpoint (scope, master key, or plan): `API_INACCESSIBLE`.
    case forbidden(code: String?, message: String)
    /// The request itself is wrong: 400 or 422 with Apollo's code and message.
    case invalidRequest(status: Int, code: String?, message: String)
    /// Out of quota on every attempt; `message` names the limit ("600 times per hour").
    case rateLimited(message: String, retryAfter: TimeInterval?)
    /// Apollo failed (5xx) or could not be reached: it did not act on the request.
    case unavailable(String)
    /// No answer in time: Apollo may have acted on the request (and charged for it) or not.
    case timedOut

    public var description: String {
        switch self {
        case .unauthorized(let message): "Apollo rejected the API key: \(message)"
        case .forbidden(let code, let message): "Apollo refused the call\(code.map { " (\($0))" } ?? ""): \(message)"
        case .invalidRequest(let status, let code, let message):
            "Apollo rejected the request (\(status)\(code.map { " \($0)" } ?? "")): \(message)"
        case .rateLimited(let message, _): "Apollo rate limit: \(message)"
        case .unavailable(let message): "Apollo is unavailable: \(message)"
        case .timedOut: "Apollo did not answer in time"
        }
    }

    /// Whether trying the same call later can succeed.
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable, .timedOut: true
        case .unauthorized, .forbidden, .invalidRequest: false
        }
    }

    /// Reads a transport failure as Apollo describes it.
    static func from(_ error: ProviderError) -> ApolloError {
        switch error {
        case .rateLimited(_, let retryAfter, let body):
            return .rateLimited(message: Body(body).message ?? "too many requests", retryAfter: retryAfter)
        case .timeout:
            return .timedOut
        case .unreachable:
            return .unavailable(error.description)
        case .http(_, let status, let text):
            let body = Body(text)
            let message = body.message ?? (text.isEmpty ? "HTTP \(status)" : String(text.prefix(300)))
            switch status {
            case 401: return .unauthorized(message)
            case 403: return .forbidden(code: body.code, message: message)
            case 400..<500: return .invalidRequest(status: status, code: body.code, message: message)
            default: return .unavailable("HTTP \(status): \(message)")
            }
        }
    }

    /// The fields an Apollo error body may have, whichever it has.
    struct Body {
        var message: String?
        var code: String?

        init(_ text: String) {
            guard let object = (try? JSON.parse(Data(text.utf8)))?.objectValue else {
                message = text.isEmpty ? nil : text.trimmingCharacters(in: .whitespacesAndNewlines)
                return
            }
            message = (object["error_message"] ?? object["error"] ?? object["message"])?.stringValue
            code = object["error_code"]?.stringValue ?? object["error_details"]?["code"]?.stringValue
        }
    }
}
