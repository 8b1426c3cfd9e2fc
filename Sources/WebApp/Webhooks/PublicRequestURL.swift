import Foundation
import HTTPTypes
import Hummingbird

/// The URL a vendor called, as vendors sign it: `LEADGEN_PUBLIC_URL` (the address they know, in front of any
/// proxy) with the request's path and query as received; without it, the scheme and host a trusted proxy
/// forwarded (`ForwardedHeadersMiddleware` removes them from anyone else), else the request's own host over
/// http.
enum PublicRequestURL {
    static func of(_ request: Request, publicURL: URL?) -> String {
        if let publicURL {
            var base = publicURL.absoluteString
            if base.hasSuffix("/") { base.removeLast() }
            return base + request.uri.description
        }
        let forwardedProto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased()
        let scheme = forwardedProto == "https" ? "https" : "http"
        let host = request.headers[HTTPField.Name("X-Forwarded-Host")!] ?? request.head.authority ?? "localhost"
        return "\(scheme)://\(host)\(request.uri.description)"
    }
}
