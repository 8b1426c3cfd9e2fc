import Automation
import Foundation
import HTTPTypes
import Hummingbird

/// The answer a scenario's `gateway:WebhookRespond` gives its caller. Hooks are served on the dashboard's
/// origin, so a scenario — whose headers and body may come from anyone's data — must not act on that origin:
/// only headers on the allow-list pass (never `Set-Cookie`, a security policy, framing or transport
/// headers), `Location` only to an absolute http(s) URL, and every answer is sandboxed by its
/// Content-Security-Policy, so an HTML body runs no script and reads no cookie.
enum HookResponse {
    /// Sent with every hook answer, replacing any policy the scenario set.
    static let contentSecurityPolicy = "sandbox; default-src 'none'"

    /// Headers a scenario may set (lower-cased), besides `Location` and its own `X-` headers.
    static let allowed: Set<String> = [
        "content-type", "content-language", "content-disposition", "cache-control", "expires", "etag",
        "last-modified", "vary", "retry-after", "link", "access-control-allow-origin",
        "access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers",
        "access-control-max-age",
    ]

    /// `X-` headers that would change how browsers treat the dashboard's origin.
    static let reservedCustom: Set<String> = [
        "x-frame-options", "x-content-type-options", "x-xss-protection", "x-request-id",
        "x-permitted-cross-domain-policies", "x-dns-prefetch-control",
    ]

    /// Whether the scenario may send header `name` with `value`.
    static func admits(_ name: String, _ value: String) -> Bool {
        let lower = name.lowercased()
        if lower == "location" { return isAbsoluteWebURL(value) }
        if allowed.contains(lower) { return true }
        return lower.hasPrefix("x-") && !reservedCustom.contains(lower)
    }

    static func isAbsoluteWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host
        else { return false }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }

    static func make(_ answer: WebhookResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) where admits(name, value) {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        if headers[.contentType] == nil { headers[.contentType] = "text/plain; charset=utf-8" }
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        // gateway:WebhookRespond admits 100–599; anything else stored is answered as a server error.
        let status = (100...599).contains(answer.status) ? answer.status : 500
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
