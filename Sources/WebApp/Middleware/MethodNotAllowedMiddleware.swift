import HTTPTypes
import Hummingbird
import Synchronization

/// Which methods each routed path answers, read from the router once every route is registered.
final class RouteMethods: Sendable {
    private let patterns = Mutex<[(segments: [Substring], methods: Set<String>)]>([])

    func load<Context>(_ router: Router<Context>) {
        var table: [String: Set<String>] = [:]
        for route in router.routes { table[route.path.description, default: []].insert(route.method.rawValue) }
        patterns.withLock { patterns in
            patterns = table.map { (segments: $0.key.split(separator: "/"), methods: $0.value) }
        }
    }

    /// The methods the routes matching `path` answer (empty when none matches).
    func allowed(for path: String) -> Set<String> {
        let parts = path.split(separator: "/")
        return patterns.withLock { patterns in
            patterns.reduce(into: Set<String>()) { found, pattern in
                if Self.matches(pattern.segments, parts) { found.formUnion(pattern.methods) }
            }
        }
    }

    static func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        if pattern.last == "**" {
            return parts.count >= pattern.count - 1 && zip(pattern.dropLast(), parts).allSatisfy(same)
        }
        return pattern.count == parts.count && zip(pattern, parts).allSatisfy(same)
    }

    /// A captured parameter reads `{name}` (Hummingbird's description of `:name`); `*` is any one segment.
    static func same(_ pair: (Substring, Substring)) -> Bool {
        (pair.0.hasPrefix("{") && pair.0.hasSuffix("}")) || pair.0.hasPrefix(":") || pair.0 == "*" || pair.0 == pair.1
    }
}

/// A method a known path does not answer is `405 Method Not Allowed` with the `Allow` header (RFC 9110
/// §15.5.6), not a 404 that says the path does not exist.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let allowed = routes.allowed(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue),
                !(request.method == .head && allowed.contains("GET"))
            else { throw error }
            let allow = allowed.sorted().joined(separator: ", ")
            var response = Problem(
                status: .methodNotAllowed, title: "Method Not Allowed",
                detail: "\(request.method) is not allowed here; this path answers \(allow)"
            ).response(requestID: context.id)
            response.headers[.allow] = allow
            return response
        }
    }
}
