import Foundation
import Hummingbird
import LeadgenCore
import Synchronization

/// Requests this process answered, by method, route pattern and status, with the time they took:
/// `leadgen_http_requests_total` and `leadgen_http_request_seconds_sum` at `/metrics`. The route is the
/// pattern (`/api/v1/leads/{id}`), never the path, so ids and capability tokens stay out and the number of
/// series stays bounded; requests that match no route count under Hummingbird's `NotFound`.
final class RequestMetrics: MetricsSource {
    struct Key: Hashable, Comparable {
        var method: String
        var route: String
        var status: Int
        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.route, lhs.method, lhs.status) < (rhs.route, rhs.method, rhs.status)
        }
    }

    private let totals = Mutex<[Key: (requests: Int, seconds: Double)]>([:])

    func record(method: String, route: String?, status: Int, seconds: Double) {
        let key = Key(method: method, route: route ?? "unmatched", status: status)
        totals.withLock {
            let now = $0[key] ?? (0, 0)
            $0[key] = (now.requests + 1, now.seconds + seconds)
        }
    }

    func prometheusText() -> String {
        let rows = totals.withLock { $0 }.sorted { $0.key < $1.key }
        var text = "# HELP leadgen_http_requests_total Requests answered, by method, route and status.\n"
        text += "# TYPE leadgen_http_requests_total counter\n"
        for (key, value) in rows { text += "leadgen_http_requests_total\(Self.labels(key)) \(value.requests)\n" }
        text += "# HELP leadgen_http_request_seconds_sum Time spent answering requests, by method, route and status.\n"
        text += "# TYPE leadgen_http_request_seconds_sum counter\n"
        for (key, value) in rows {
            text += "leadgen_http_request_seconds_sum\(Self.labels(key)) \(String(format: "%.6f", value.seconds))\n"
        }
        return text
    }

    private static func labels(_ key: Key) -> String {
        let route = key.route.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "{method=\"\(key.method)\",route=\"\(route)\",status=\"\(key.status)\"}"
    }
}

/// Counts each request into `RequestMetrics` once it is answered, errors included (a thrown error counts with
/// the status it is answered with).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // A duration, not a time of day: the monotonic clock.
        let started = ContinuousClock.now
        func record(_ status: Int) {
            let elapsed = (ContinuousClock.now - started).components
            metrics.record(
                method: request.method.rawValue, route: context.endpointPath, status: status,
                seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        }
        do {
            let response = try await next(request, context)
            record(Int(response.status.code))
            return response
        } catch {
            record(Int((error as? any HTTPResponseError)?.status.code ?? 500))
            throw error
        }
    }
}
