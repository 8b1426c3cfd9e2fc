import Foundation
import LeadgenCore

/// Why Make refused or did not answer. Make's API errors are JSON `{message, detail, code, suberrors}`;
/// the message shown is the detail when there is one, with the sub-errors' messages after it (as Make's
/// own SDK reads them).
public enum MakeError: Error, Sendable, Equatable, CustomStringConvertible {
    case unauthorized(String)
    case notFound(String)
    /// A 4xx other than 401, 404 and 429: the request is wrong (an inactive scenario, a bad parameter).
    case rejected(status: Int, code: String?, message: String)
    case rateLimited(retryAfter: TimeInterval?)
    /// A 5xx, a dropped connection: the call may or may not have started a run.
    case unavailable(String)
    case timedOut
    /// A custom webhook that no scenario listens to any more (410).
    case hookGone

    public var description: String {
        switch self {
        case .unauthorized(let message): "Make refused the API token: \(message)"
        case .notFound(let message): "Make: not found: \(message)"
        case .rejected(let status, let code, let message):
            "Make refused the call (\(status)\(code.map { " \($0)" } ?? "")): \(message)"
        case .rateLimited(let retryAfter):
            "Make is rate limiting the calls" + (retryAfter.map { "; retry after \(Int($0)) s" } ?? "")
        case .unavailable(let message): "Make is unavailable: \(message)"
        case .timedOut: "Make did not answer in time"
        case .hookGone: "no Make scenario listens to this webhook any more (410)"
        }
    }

    static func from(_ error: ProviderError) -> MakeError {
        switch error {
        case .rateLimited(_, let retryAfter, _): return .rateLimited(retryAfter: retryAfter)
        case .timeout: return .timedOut
        case .unreachable: return .unavailable(error.description)
        case .http(_, let status, let text):
            let (code, message) = Self.read(text)
            switch status {
            case 401, 403: return .unauthorized(message)
            case 404: return .notFound(message)
            case 410: return .hookGone
            case 400..<500: return .rejected(status: status, code: code, message: message)
            default: return .unavailable("HTTP \(status): \(message)")
            }
        }
    }

    static func read(_ text: String) -> (code: String?, message: String) {
        guard let object = (try? JSON.parse(Data(text.utf8)))?.objectValue, let base = object["message"]?.stringValue
        else { return (nil, text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        var message = object["detail"]?.stringValue ?? base
        for sub in object["suberrors"]?.arrayValue ?? [] {
            if let text = sub["message"]?.stringValue { message += "\n - " + text }
        }
        return (object["code"]?.stringValue, message)
    }
}
