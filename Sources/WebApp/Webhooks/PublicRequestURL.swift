import Foundation
import Hummingbird

/// The URL a vendor called, as vendors sign it: `LEADGEN_PUBLIC_URL` (the address they know, in front of any
/// proxy) with the request's path and query as received; without it, the request's own host over http.
enum PublicRequestURL {
    static func of(_ request: Request, publicURL: URL?) -> String {
        if let publicURL {
            var base = publicURL.absoluteString
            if base.hasSuffix("/") { base.removeLast() }
            return base + request.uri.description
        }
        let host = request.head.authority ?? "localhost"
        return "http://\(host)\(request.uri.description)"
    }
}
